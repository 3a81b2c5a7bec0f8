# The examples are runnable roots and double as tests: each run plans one example and checks what it produces.
# examples/staging and examples/production carry the sizing of terraform/envs/staging and terraform/envs/production.

run "example_minimal_takes_the_chart_defaults" {
  command = plan

  module {
    source = "./examples/minimal"
  }

  assert {
    condition     = output.values.autoscaling == { enabled = true, minReplicas = 2, maxReplicas = 10, targetCPUUtilizationPercentage = 70 }
    error_message = "minimal: the chart's autoscaling defaults."
  }

  assert {
    condition     = output.termination_grace_period_seconds == 15 && output.release_timeout_seconds == 315
    error_message = "minimal: grace period 15 s, release timeout 315 s."
  }
}

run "example_fixed_replicas_runs_without_an_autoscaler" {
  command = plan

  module {
    source = "./examples/fixed-replicas"
  }

  assert {
    condition     = output.values.autoscaling.enabled == false && output.values.replicaCount == 3
    error_message = "fixed-replicas: no autoscaler, three pods."
  }

  assert {
    condition     = yamldecode(output.values_yaml).podDisruptionBudget == { enabled = true, minAvailable = 2, maxUnavailable = null }
    error_message = "fixed-replicas: two of three pods stay up, minAvailable as the integer 2."
  }

  assert {
    condition     = yamldecode(output.values_yaml).image.repository == "registry.example.com:5000/ricochet/udp-server"
    error_message = "fixed-replicas: a registry with a port is a valid repository."
  }

  assert {
    condition     = output.termination_grace_period_seconds == 25 && output.release_timeout_seconds == 325 && output.operation_timeout_seconds == 710
    error_message = "fixed-replicas: drain 20 s gives grace 25 s, timeout 325 s, Terraform deadline 710 s."
  }
}

run "example_staging_is_small_and_lenient" {
  command = plan

  module {
    source = "./examples/staging"
  }

  assert {
    condition     = output.values.autoscaling.minReplicas == 2 && output.values.autoscaling.maxReplicas == 4
    error_message = "staging: 2 to 4 pods."
  }

  assert {
    condition     = yamldecode(output.values_yaml).podDisruptionBudget.maxUnavailable == "50%" && output.values.server.logLevel == "debug"
    error_message = "staging: half the pods evictable at a time, debug logs."
  }
}

run "example_production_sizing_is_larger_and_stricter" {
  command = plan

  module {
    source = "./examples/production"
  }

  assert {
    condition     = output.values.autoscaling == { enabled = true, minReplicas = 3, maxReplicas = 12, targetCPUUtilizationPercentage = 70 }
    error_message = "production: 3 to 12 pods at a 70% CPU target."
  }

  assert {
    condition     = yamldecode(output.values_yaml).podDisruptionBudget == { enabled = true, minAvailable = null, maxUnavailable = 1 }
    error_message = "production: one voluntary eviction at a time, at any scale (integer 1)."
  }

  assert {
    condition     = output.values.server.drainSeconds == 15 && output.values.terminationGracePeriodSeconds == 20 && output.release_timeout_seconds == 320
    error_message = "production: drain 15 s, grace 20 s, release timeout 320 s."
  }
}

run "production_is_stricter_than_staging" {
  command = plan

  module {
    source = "./examples/staging"
  }

  # A floor of at least 3 with one eviction at a time keeps two thirds or more of production serving through a
  # node drain; staging, at 2 pods and 50%, may drop to half.
  assert {
    condition     = run.example_production_sizing_is_larger_and_stricter.values.autoscaling.minReplicas > output.values.autoscaling.minReplicas
    error_message = "production must run more pods than staging at its floor."
  }

  assert {
    condition = (
      (run.example_production_sizing_is_larger_and_stricter.values.autoscaling.minReplicas - run.example_production_sizing_is_larger_and_stricter.values.podDisruptionBudget.maxUnavailable) / run.example_production_sizing_is_larger_and_stricter.values.autoscaling.minReplicas
      > (output.values.autoscaling.minReplicas - ceil(output.values.autoscaling.minReplicas * tonumber(trimsuffix(output.values.podDisruptionBudget.maxUnavailable, "%")) / 100)) / output.values.autoscaling.minReplicas
    )
    error_message = "production's budget must keep a larger share of pods serving during a drain than staging's."
  }
}
