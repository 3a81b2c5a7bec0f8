output "module" {
  description = "Every output of the values module, per environment."
  value       = module.udp_server_values
}

output "settings" {
  description = "Each environment's settings.yaml as read: the tests check that the module knows every key in it (Terraform drops unknown attributes silently)."
  value       = local.settings
}
