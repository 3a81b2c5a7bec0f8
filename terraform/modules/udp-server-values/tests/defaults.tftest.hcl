# What the module produces when a caller sets only the two required inputs: the image.

variables {
  image_repository = "ghcr.io/example/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"
}

run "defaults_produce_the_expected_chart_values" {
  command = plan

  assert {
    condition     = yamldecode(output.values_yaml).image == { repository = "ghcr.io/example/udp-server", tag = "0123456789abcdef0123456789abcdef01234567", pullPolicy = "IfNotPresent" }
    error_message = "image must carry the repository and the commit sha, pulled IfNotPresent."
  }

  assert {
    condition     = yamldecode(output.values_yaml).replicaCount == 2 && yamldecode(output.values_yaml).autoscaling == { enabled = true, minReplicas = 2, maxReplicas = 10, targetCPUUtilizationPercentage = 70 }
    error_message = "by default, as in the chart, an autoscaler runs 2 to 10 pods at a 70% CPU target (replicaCount 2 when it is off)."
  }

  assert {
    condition     = yamldecode(output.values_yaml).resources == { requests = { cpu = "250m", memory = "256Mi" }, limits = { cpu = "1000m", memory = "256Mi" } }
    error_message = "default resources must be the chart's measured ones: requests 250m/256Mi, limits 1000m/256Mi."
  }

  assert {
    condition     = yamldecode(output.values_yaml).podDisruptionBudget == { enabled = true, minAvailable = null, maxUnavailable = 1 }
    error_message = "the default budget allows one voluntary eviction at a time, as the integer 1, with minAvailable null."
  }

  assert {
    condition     = yamldecode(output.values_yaml).service == { type = "ClusterIP", port = 9999 }
    error_message = "the default Service is ClusterIP on UDP 9999."
  }

  assert {
    condition     = yamldecode(output.values_yaml).server == { port = 9999, logLevel = "info", drainSeconds = 10, maxDatagramBytes = 1472, recvBufferBytes = 4194304 }
    error_message = "the server settings must default to the server's own defaults."
  }

  assert {
    condition     = yamldecode(output.values_yaml).terminationGracePeriodSeconds == 15
    error_message = "grace period must be drain (10) + margin (5) = 15 seconds, the chart's own default."
  }

  assert {
    condition     = output.release_timeout_seconds == 315 && output.operation_timeout_seconds == 690
    error_message = "release timeout must be 300 + 15 = 315 s, and Terraform's deadline 2 x 315 + 60 = 690 s."
  }

  assert {
    condition     = output.image == "ghcr.io/example/udp-server:0123456789abcdef0123456789abcdef01234567"
    error_message = "image must be repository:tag."
  }

  assert {
    condition     = yamldecode(output.values_yaml) == output.values
    error_message = "values_yaml must decode to exactly the values object."
  }
}

run "a_fractional_drain_rounds_the_grace_period_up" {
  command = plan

  variables {
    drain_seconds = 2.5
  }

  assert {
    condition     = output.values.server.drainSeconds == 2.5 && output.termination_grace_period_seconds == 8
    error_message = "drain 2.5 s keeps its fraction in the server setting and gives a grace period of ceil(2.5) + 5 = 8 s."
  }
}

run "the_longest_drain_sizes_every_timeout" {
  command = plan

  variables {
    drain_seconds = 3600
  }

  assert {
    condition     = output.termination_grace_period_seconds == 3605 && output.release_timeout_seconds == 3905 && output.operation_timeout_seconds == 7870
    error_message = "drain 3600 s: grace 3605 s, release timeout 300 + 3605 = 3905 s, Terraform deadline 2 x 3905 + 60 = 7870 s."
  }
}

run "resources_are_passed_as_given" {
  command = plan

  variables {
    resources = {
      requests = { cpu = "0.5", memory = "300M" }
      limits   = { cpu = "2", memory = "1Gi" }
    }
  }

  assert {
    condition     = yamldecode(output.values_yaml).resources == { requests = { cpu = "0.5", memory = "300M" }, limits = { cpu = "2", memory = "1Gi" } }
    error_message = "resources must reach the chart unchanged, as quantity strings."
  }
}

run "a_disabled_budget_needs_neither_bound" {
  command = plan

  variables {
    pod_disruption_budget = { enabled = false }
  }

  assert {
    condition     = yamldecode(output.values_yaml).podDisruptionBudget == { enabled = false, minAvailable = null, maxUnavailable = null }
    error_message = "a disabled budget renders enabled=false with both bounds null."
  }
}

run "boundary_values_are_accepted" {
  command = plan

  variables {
    drain_seconds      = 0
    max_datagram_bytes = 65507
    recv_buffer_bytes  = 4096
    udp_port           = 1024
    service_port       = 1
    replicas           = 1
  }

  assert {
    condition     = output.values.server.maxDatagramBytes == 65507 && output.values.server.recvBufferBytes == 4096 && output.values.server.port == 1024 && output.termination_grace_period_seconds == 5
    error_message = "the documented bounds (drain 0, 65507-byte datagrams, a 4096-byte buffer, port 1024) must be accepted."
  }
}

run "null_inputs_take_the_defaults" {
  command = plan

  # modules/udp-server passes every optional input through with a null default, so that the defaults and the
  # validation live here only. A null must therefore mean "the default", not "unset the chart key".
  variables {
    image_pull_policy                             = null
    replicas                                      = null
    autoscaling_enabled                           = null
    autoscaling_min_replicas                      = null
    autoscaling_max_replicas                      = null
    autoscaling_target_cpu_utilization_percentage = null
    resources                                     = null
    pod_disruption_budget                         = null
    service_type                                  = null
    service_port                                  = null
    udp_port                                      = null
    log_level                                     = null
    drain_seconds                                 = null
    max_datagram_bytes                            = null
    recv_buffer_bytes                             = null
    drain_margin_seconds                          = null
    rollout_timeout_seconds                       = null
  }

  assert {
    condition     = run.defaults_produce_the_expected_chart_values.values == output.values
    error_message = "passing null for every optional input must produce exactly the default values."
  }

  assert {
    condition     = output.release_timeout_seconds == 315
    error_message = "null timing inputs must give the default release timeout."
  }
}
