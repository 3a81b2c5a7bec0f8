# Autoscaling on and off: which of replicaCount and the HorizontalPodAutoscaler bounds decide the pod count.

variables {
  image_repository = "ghcr.io/example/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"
}

run "autoscaling_off_uses_the_fixed_replica_count" {
  command = plan

  variables {
    sizing = { replicas = 4, autoscaling = { enabled = false } }
  }

  assert {
    condition     = output.values.replicaCount == 4 && output.values.autoscaling == { enabled = false }
    error_message = "with autoscaling off, replicaCount is the pod count and no bound is sent."
  }
}

run "autoscaling_on_passes_the_bounds_and_target" {
  command = plan

  variables {
    sizing = { autoscaling = { min_replicas = 3, max_replicas = 12, target_cpu_utilization_percentage = 60 } }
  }

  assert {
    condition     = yamldecode(output.values_yaml).autoscaling == { minReplicas = 3, maxReplicas = 12, targetCPUUtilizationPercentage = 60 }
    error_message = "the HorizontalPodAutoscaler gets min 3, max 12 and a 60% CPU target, and its enabled flag stays the chart's."
  }
}

run "autoscaling_may_pin_min_and_max_to_one_count" {
  command = plan

  variables {
    sizing = { autoscaling = { min_replicas = 5, max_replicas = 5 } }
  }

  assert {
    condition     = output.values.autoscaling == { minReplicas = 5, maxReplicas = 5 }
    error_message = "min == max is allowed."
  }
}

run "the_budget_is_checked_against_the_autoscaler_floor" {
  command = plan

  # replicas (1) would make min_available 2 impossible, but with autoscaling on the floor is min_replicas (3).
  variables {
    sizing = {
      replicas              = 1
      autoscaling           = { enabled = true, min_replicas = 3, max_replicas = 6 }
      pod_disruption_budget = { min_available = "2" }
    }
  }

  assert {
    condition     = output.values.podDisruptionBudget == { enabled = true, minAvailable = 2, maxUnavailable = null }
    error_message = "min_available 2 is valid against an autoscaler floor of 3, and reaches the chart as the integer 2."
  }
}

run "a_percentage_budget_stays_a_string" {
  command = plan

  variables {
    sizing = {
      autoscaling           = { min_replicas = 4, max_replicas = 8 }
      pod_disruption_budget = { min_available = "50%" }
    }
  }

  assert {
    condition     = yamldecode(output.values_yaml).podDisruptionBudget.minAvailable == "50%"
    error_message = "a percentage reaches the chart as the string 50%."
  }
}
