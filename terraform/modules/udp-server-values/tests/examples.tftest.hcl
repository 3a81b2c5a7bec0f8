# The examples are runnable roots and double as tests: each run plans one example and checks what it produces.
# examples/environments computes what terraform/envs/<environment> deploys, from the same settings.yaml files.

run "example_minimal_leaves_every_other_value_to_the_chart" {
  command = plan

  module {
    source = "./examples/minimal"
  }

  # Terraform sends only the image; the render check of `nx run terraform:test` then shows the chart's own
  # defaults (autoscaling, resources, DRAIN_SECONDS…) in the rendered objects.
  assert {
    condition     = keys(output.module.values) == ["image"]
    error_message = "minimal: only image is sent."
  }
}

run "example_fixed_replicas_runs_without_an_autoscaler" {
  command = plan

  module {
    source = "./examples/fixed-replicas"
  }

  assert {
    condition     = output.module.values.autoscaling == { enabled = false } && output.module.values.replicaCount == 3
    error_message = "fixed-replicas: no autoscaler, three pods."
  }

  assert {
    condition     = yamldecode(output.module.values_yaml).podDisruptionBudget == { enabled = true, minAvailable = 2, maxUnavailable = null }
    error_message = "fixed-replicas: two of three pods stay up, minAvailable as the integer 2."
  }

  assert {
    condition     = output.module.values.image.repository == "registry.example.com:5000/ricochet/udp-server"
    error_message = "fixed-replicas: a registry with a port is a valid repository."
  }

  assert {
    condition     = output.module.termination_grace_period_seconds == 25 && output.module.release_timeout_seconds == 325 && output.module.operation_timeout_seconds == 710
    error_message = "fixed-replicas: drain 20 s gives grace 25 s, timeout 325 s, Terraform deadline 710 s."
  }
}

run "example_environments_knows_every_key_of_each_settings_file" {
  command = plan

  module {
    source = "./examples/environments"
  }

  assert {
    condition     = keys(output.module) == ["production", "staging"]
    error_message = "environments: one instance per terraform/envs/<environment>/settings.yaml."
  }

  # Terraform drops an attribute its object type does not declare without a word: a misspelt key in a settings
  # file would silently deploy the chart's default. Every key must be one the module reads.
  assert {
    condition = alltrue(flatten([
      for env, settings in output.settings : [
        length(setsubtract(keys(settings), ["sizing", "timing", "release"])) == 0,
        length(setsubtract(keys(settings.sizing), keys(output.module[env].sizing))) == 0,
        length(setsubtract(keys(settings.timing), ["drain_seconds", "drain_margin_seconds", "rollout_timeout_seconds"])) == 0,
        length(setsubtract(keys(settings.release), ["max_history"])) == 0,
      ]
    ]))
    error_message = "a settings.yaml holds a key the values module does not read (or an unknown section)."
  }
}

run "example_environments_staging_is_small_and_lenient" {
  command = plan

  module {
    source = "./examples/environments"
  }

  assert {
    condition     = output.module.staging.values.autoscaling == { minReplicas = 2, maxReplicas = 4, targetCPUUtilizationPercentage = 70 }
    error_message = "staging: 2 to 4 pods."
  }

  assert {
    condition     = output.module.staging.values.podDisruptionBudget.maxUnavailable == "50%" && output.module.staging.values.server == { logLevel = "debug" }
    error_message = "staging: half the pods evictable at a time, debug logs, the chart's drain."
  }
}

run "example_environments_production_is_larger_and_stricter" {
  command = plan

  module {
    source = "./examples/environments"
  }

  assert {
    condition     = output.module.production.values.autoscaling == { minReplicas = 3, maxReplicas = 12, targetCPUUtilizationPercentage = 70 }
    error_message = "production: 3 to 12 pods at a 70% CPU target."
  }

  assert {
    condition     = output.module.production.values.podDisruptionBudget == { enabled = true, minAvailable = null, maxUnavailable = 1 }
    error_message = "production: one voluntary eviction at a time, at any scale (integer 1)."
  }

  assert {
    condition     = output.module.production.values.server == { drainSeconds = 15 } && output.module.production.values.terminationGracePeriodSeconds == 20 && output.module.production.release_timeout_seconds == 320
    error_message = "production: drain 15 s, grace 20 s, release timeout 320 s."
  }

  # A floor of at least 3 with one eviction at a time keeps two thirds or more of production serving through a
  # node drain; staging, at 2 pods and 50%, may drop to half.
  assert {
    condition = (
      (output.module.production.values.autoscaling.minReplicas - output.module.production.values.podDisruptionBudget.maxUnavailable) / output.module.production.values.autoscaling.minReplicas
      > (output.module.staging.values.autoscaling.minReplicas - ceil(output.module.staging.values.autoscaling.minReplicas * tonumber(trimsuffix(output.module.staging.values.podDisruptionBudget.maxUnavailable, "%")) / 100)) / output.module.staging.values.autoscaling.minReplicas
    )
    error_message = "production's budget must keep a larger share of pods serving during a drain than staging's."
  }
}
