# The sizing terraform/envs/production deploys (keep the two in step): at least three pods, up to twelve, one
# voluntary eviction at a time whatever the scale, and a longer drain.
module "udp_server_values" {
  source = "../../"

  image_repository = "ghcr.io/ricochet/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"

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
