# No HorizontalPodAutoscaler (for a cluster without metrics-server): a fixed pod count, a budget that keeps two of
# three pods up, and a longer drain.
module "udp_server_values" {
  source = "../../"

  image_repository = "registry.example.com:5000/ricochet/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"

  autoscaling_enabled = false
  replicas            = 3

  pod_disruption_budget = {
    min_available = "2"
  }

  drain_seconds = 20
}
