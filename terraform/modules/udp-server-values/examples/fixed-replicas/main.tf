# No HorizontalPodAutoscaler (for a cluster without metrics-server): a fixed pod count, a budget that keeps two of
# three pods up, a longer drain, and an image pinned by digest from a registry with a port.
module "udp_server_values" {
  source = "../../"

  image_repository = "registry.example.com:5000/ricochet/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"
  image_digest     = "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"

  sizing = {
    replicas              = 3
    autoscaling           = { enabled = false }
    pod_disruption_budget = { min_available = "2" }
  }
  timing = { drain_seconds = 20 }
}
