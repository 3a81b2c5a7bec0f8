################################################################################
# Environment
################################################################################

locals {
  # One table for both environments: terraform/envs/<env> deploys its row, and
  # modules/udp-server-values/examples/<env> feeds the same row to `terraform test`.
  sizing = {
    # A small autoscaled release, half of it evictable at a time, debug logs.
    staging = {
      max_history                                   = 5
      autoscaling_min_replicas                      = 2
      autoscaling_max_replicas                      = 4
      autoscaling_target_cpu_utilization_percentage = 70
      max_unavailable                               = "50%"
      log_level                                     = "debug"
      drain_seconds                                 = 10
    }
    # At least three pods, up to twelve, one voluntary eviction at a time whatever the scale, a longer drain.
    production = {
      max_history                                   = 10
      autoscaling_min_replicas                      = 3
      autoscaling_max_replicas                      = 12
      autoscaling_target_cpu_utilization_percentage = 70
      max_unavailable                               = "1"
      log_level                                     = "info"
      drain_seconds                                 = 15
    }
  }

  this = local.sizing[var.environment]

  # The chart's measured resources (helm/udp-server/values.yaml says how they were measured), in both.
  resources = {
    requests = { cpu = "250m", memory = "256Mi" }
    limits   = { cpu = "1000m", memory = "256Mi" }
  }
}
