# What the module sends when a caller sets only the image, and how each input reaches the chart's values.

variables {
  image_repository = "ghcr.io/example/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"
}

run "the_image_alone_sends_only_the_image" {
  command = plan

  assert {
    condition     = output.values == { image = { registry = "", repository = "ghcr.io/example/udp-server", tag = "0123456789abcdef0123456789abcdef01234567" } }
    error_message = "with only the image set, nothing else may be sent: every other value is the chart's own default."
  }

  assert {
    condition     = yamldecode(output.values_yaml) == output.values
    error_message = "values_yaml must decode to exactly the values object."
  }

  assert {
    condition     = output.image == "ghcr.io/example/udp-server:0123456789abcdef0123456789abcdef01234567"
    error_message = "image must be repository:tag."
  }
}

run "without_a_drain_the_timeouts_follow_the_charts_grace_period" {
  command = plan

  # Read from the chart, as the module reads it: a change of the chart's default moves the timeouts with it.
  assert {
    condition     = output.termination_grace_period_seconds == yamldecode(file("../../../helm/udp-server/values.yaml")).terminationGracePeriodSeconds
    error_message = "with no drain set, the grace period the timeouts are sized from is the chart's default."
  }

  assert {
    condition     = output.release_timeout_seconds == 300 + output.termination_grace_period_seconds && output.operation_timeout_seconds == 2 * output.release_timeout_seconds + 60
    error_message = "release timeout = 300 + grace period; Terraform's deadline = 2 x release timeout + 60."
  }
}

run "a_digest_pins_the_image" {
  command = plan

  variables {
    image_digest = "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"
  }

  assert {
    condition     = output.values.image.digest == "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945" && output.image == "ghcr.io/example/udp-server:0123456789abcdef0123456789abcdef01234567@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"
    error_message = "a digest is sent as image.digest, the tag still naming the commit."
  }
}

run "a_drain_sends_the_drain_and_its_grace_period" {
  command = plan

  variables {
    timing = { drain_seconds = 2.5 }
  }

  assert {
    condition     = output.values.server == { drainSeconds = 2.5 } && output.values.terminationGracePeriodSeconds == 8
    error_message = "drain 2.5 s keeps its fraction in the server setting and sends a grace period of ceil(2.5) + 5 = 8 s."
  }
}

run "the_longest_drain_sizes_every_timeout" {
  command = plan

  variables {
    timing = { drain_seconds = 3600 }
  }

  assert {
    condition     = output.termination_grace_period_seconds == 3605 && output.release_timeout_seconds == 3905 && output.operation_timeout_seconds == 7870
    error_message = "drain 3600 s: grace 3605 s, release timeout 300 + 3605 = 3905 s, Terraform deadline 2 x 3905 + 60 = 7870 s."
  }
}

run "sizing_is_sent_as_given" {
  command = plan

  variables {
    sizing = {
      resources = {
        requests = { cpu = "0.5", memory = "300M" }
        limits   = { cpu = "2", memory = "1Gi" }
      }
      service_type = "NodePort"
      log_level    = "debug"
    }
  }

  assert {
    condition     = output.values.resources == { requests = { cpu = "0.5", memory = "300M" }, limits = { cpu = "2", memory = "1Gi" } }
    error_message = "resources must reach the chart unchanged, as quantity strings."
  }

  assert {
    condition     = output.values.service == { type = "NodePort" } && output.values.server == { logLevel = "debug" }
    error_message = "service_type and log_level become service.type and server.logLevel, and nothing else under those keys."
  }
}

run "a_budget_count_is_an_integer_and_the_other_bound_is_deleted" {
  command = plan

  variables {
    sizing = { pod_disruption_budget = { max_unavailable = "1" } }
  }

  assert {
    condition     = yamldecode(output.values_yaml).podDisruptionBudget == { enabled = true, minAvailable = null, maxUnavailable = 1 }
    error_message = "one eviction at a time, as the integer 1, with minAvailable null (Helm then deletes the chart's default)."
  }
}

run "a_disabled_budget_needs_neither_bound" {
  command = plan

  variables {
    sizing = { pod_disruption_budget = { enabled = false } }
  }

  assert {
    condition     = yamldecode(output.values_yaml).podDisruptionBudget == { enabled = false, minAvailable = null, maxUnavailable = null }
    error_message = "a disabled budget renders enabled=false with both bounds null."
  }
}

run "boundary_values_are_accepted" {
  command = plan

  variables {
    sizing = { replicas = 1, autoscaling = { enabled = false } }
    timing = { drain_seconds = 0, drain_margin_seconds = 2, rollout_timeout_seconds = 60 }
  }

  assert {
    condition     = output.values.replicaCount == 1 && output.termination_grace_period_seconds == 2 && output.release_timeout_seconds == 62
    error_message = "the documented bounds (one replica, drain 0, margin 2, rollout 60 s) must be accepted."
  }
}
