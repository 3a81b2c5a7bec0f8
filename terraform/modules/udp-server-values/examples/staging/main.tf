# The sizing terraform/envs/staging deploys (keep the two in step): a small autoscaled release, half of it
# evictable at a time, debug logs.
module "udp_server_values" {
  source = "../../"

  image_repository = "ghcr.io/ricochet/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"

  autoscaling_enabled      = true
  autoscaling_min_replicas = 2
  autoscaling_max_replicas = 4

  pod_disruption_budget = {
    max_unavailable = "50%"
  }

  log_level     = "debug"
  drain_seconds = 5
}
