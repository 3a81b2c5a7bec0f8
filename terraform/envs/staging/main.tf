locals {
  environment = "staging"
}

module "sizing" {
  source = "../../modules/udp-server-sizing"

  environment = local.environment
}

module "udp_server" {
  source = "../../modules/udp-server"

  release_name = var.release_name
  namespace    = var.namespace
  chart_path   = "${path.module}/../../../helm/udp-server"
  max_history  = module.sizing.max_history

  image_repository = var.image_repository
  image_tag        = var.image_tag

  # The staging row of modules/udp-server-sizing, which modules/udp-server-values/examples/staging tests.
  autoscaling_enabled                           = true
  autoscaling_min_replicas                      = module.sizing.autoscaling_min_replicas
  autoscaling_max_replicas                      = module.sizing.autoscaling_max_replicas
  autoscaling_target_cpu_utilization_percentage = module.sizing.autoscaling_target_cpu_utilization_percentage
  resources                                     = module.sizing.resources
  pod_disruption_budget                         = module.sizing.pod_disruption_budget
  log_level                                     = module.sizing.log_level
  drain_seconds                                 = module.sizing.drain_seconds
}
