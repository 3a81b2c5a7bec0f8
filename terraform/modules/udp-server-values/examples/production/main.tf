# The sizing terraform/envs/production deploys, from the same table (modules/udp-server-sizing).
module "sizing" {
  source = "../../../udp-server-sizing"

  environment = "production"
}

module "udp_server_values" {
  source = "../../"

  image_repository = "ghcr.io/ricochet/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"

  autoscaling_enabled                           = true
  autoscaling_min_replicas                      = module.sizing.autoscaling_min_replicas
  autoscaling_max_replicas                      = module.sizing.autoscaling_max_replicas
  autoscaling_target_cpu_utilization_percentage = module.sizing.autoscaling_target_cpu_utilization_percentage
  resources                                     = module.sizing.resources
  pod_disruption_budget                         = module.sizing.pod_disruption_budget
  log_level                                     = module.sizing.log_level
  drain_seconds                                 = module.sizing.drain_seconds
}
