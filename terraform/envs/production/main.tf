locals {
  environment = "production"
}

module "udp_server" {
  source = "../../modules/udp-server"

  release_name = var.release_name
  namespace    = var.namespace
  chart_path   = "${path.module}/../../../helm/udp-server"
  max_history  = 10

  image_repository = var.image_repository
  image_tag        = var.image_tag

  # Production sizing, the same as modules/udp-server-values/examples/production (where `terraform test` checks
  # it, and that it is stricter than staging): at least three pods, up to twelve, one voluntary eviction at a
  # time whatever the scale, and a longer drain. Change both together.
  autoscaling_enabled                           = true
  autoscaling_min_replicas                      = 3
  autoscaling_max_replicas                      = 12
  autoscaling_target_cpu_utilization_percentage = 70

  resources = {
    requests = { cpu = "250m", memory = "256Mi" }
    limits   = { cpu = "1000m", memory = "256Mi" }
  }

  pod_disruption_budget = {
    max_unavailable = "1"
  }

  log_level     = "info"
  drain_seconds = 10
}
