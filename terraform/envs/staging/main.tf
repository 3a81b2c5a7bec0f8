locals {
  environment = "staging"
}

module "udp_server" {
  source = "../../modules/udp-server"

  release_name = var.release_name
  namespace    = var.namespace
  chart_path   = "${path.module}/../../../helm/udp-server"
  max_history  = 5

  image_repository = var.image_repository
  image_tag        = var.image_tag

  # Staging sizing, the same as modules/udp-server-values/examples/staging (where `terraform test` checks it):
  # a small autoscaled release, half of it evictable at a time, debug logs. Change both together.
  autoscaling_enabled      = true
  autoscaling_min_replicas = 2
  autoscaling_max_replicas = 4

  pod_disruption_budget = {
    max_unavailable = "50%"
  }

  log_level     = "debug"
  drain_seconds = 5
}
