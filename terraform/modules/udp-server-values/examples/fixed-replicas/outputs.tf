output "module" {
  description = "Every output of the values module (values, values_yaml, the timeouts), for the tests and the render check."
  value       = module.udp_server_values
}
