output "values_yaml" {
  description = "The chart values the module produced, as YAML (what helm_release.values receives)."
  value       = module.udp_server_values.values_yaml
}

output "values" {
  description = "The same values as an object, for assertions."
  value       = module.udp_server_values.values
}

output "termination_grace_period_seconds" {
  description = "Seconds from SIGTERM to SIGKILL per pod."
  value       = module.udp_server_values.termination_grace_period_seconds
}

output "release_timeout_seconds" {
  description = "Helm wait timeout for the release, in seconds."
  value       = module.udp_server_values.release_timeout_seconds
}

output "operation_timeout_seconds" {
  description = "Terraform's deadline for one create or update of the release, in seconds."
  value       = module.udp_server_values.operation_timeout_seconds
}
