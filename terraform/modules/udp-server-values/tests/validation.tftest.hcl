# Every validation rule refuses what it should, at plan time, before any provider is contacted. One run per rule
# (or per distinct way of breaking it); each expects exactly the failing variable.

variables {
  image_repository = "ghcr.io/example/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"
}

run "image_tag_must_not_be_a_mutable_tag" {
  command = plan

  variables {
    image_tag = "latest"
  }

  expect_failures = [var.image_tag]
}

run "image_tag_must_not_be_a_short_sha" {
  command = plan

  variables {
    image_tag = "0123456"
  }

  expect_failures = [var.image_tag]
}

run "image_tag_must_be_lowercase_hex" {
  command = plan

  variables {
    image_tag = "0123456789ABCDEF0123456789ABCDEF01234567"
  }

  expect_failures = [var.image_tag]
}

run "image_tag_must_not_exceed_40_characters" {
  command = plan

  variables {
    image_tag = "0123456789abcdef0123456789abcdef012345678"
  }

  expect_failures = [var.image_tag]
}

run "image_repository_must_not_carry_a_tag" {
  command = plan

  variables {
    image_repository = "ghcr.io/example/udp-server:1.0"
  }

  expect_failures = [var.image_repository]
}

run "image_repository_must_not_carry_a_digest" {
  command = plan

  variables {
    image_repository = "ghcr.io/example/udp-server@sha256:0123"
  }

  expect_failures = [var.image_repository]
}

run "image_repository_path_must_be_lowercase" {
  command = plan

  variables {
    image_repository = "ghcr.io/Example/UDP-Server"
  }

  expect_failures = [var.image_repository]
}

run "image_repository_must_not_be_empty" {
  command = plan

  variables {
    image_repository = ""
  }

  expect_failures = [var.image_repository]
}

run "image_pull_policy_must_be_a_kubernetes_policy" {
  command = plan

  variables {
    image_pull_policy = "Sometimes"
  }

  expect_failures = [var.image_pull_policy]
}

run "replicas_must_be_at_least_one" {
  command = plan

  variables {
    replicas = 0
  }

  expect_failures = [var.replicas]
}

run "replicas_must_be_whole" {
  command = plan

  variables {
    replicas = 1.5
  }

  expect_failures = [var.replicas]
}

run "autoscaling_min_replicas_must_be_at_least_one" {
  command = plan

  variables {
    autoscaling_min_replicas = 0
    autoscaling_max_replicas = 3
  }

  expect_failures = [var.autoscaling_min_replicas]
}

run "autoscaling_min_replicas_must_not_exceed_max" {
  command = plan

  variables {
    autoscaling_min_replicas = 5
    autoscaling_max_replicas = 4
  }

  expect_failures = [var.autoscaling_max_replicas]
}

run "autoscaling_max_replicas_must_not_exceed_1000" {
  command = plan

  variables {
    autoscaling_max_replicas = 1001
  }

  expect_failures = [var.autoscaling_max_replicas]
}

run "autoscaling_target_must_be_above_zero" {
  command = plan

  variables {
    autoscaling_target_cpu_utilization_percentage = 0
  }

  expect_failures = [var.autoscaling_target_cpu_utilization_percentage]
}

run "autoscaling_target_must_not_exceed_1000" {
  command = plan

  variables {
    autoscaling_target_cpu_utilization_percentage = 1001
  }

  expect_failures = [var.autoscaling_target_cpu_utilization_percentage]
}

run "cpu_must_be_a_quantity" {
  command = plan

  variables {
    resources = {
      requests = { cpu = "lots", memory = "256Mi" }
      limits   = { cpu = "1", memory = "256Mi" }
    }
  }

  expect_failures = [var.resources]
}

run "cpu_request_must_not_be_zero" {
  command = plan

  variables {
    resources = {
      requests = { cpu = "0m", memory = "256Mi" }
      limits   = { cpu = "1", memory = "256Mi" }
    }
  }

  expect_failures = [var.resources]
}

run "memory_must_be_a_quantity" {
  command = plan

  variables {
    resources = {
      requests = { cpu = "250m", memory = "256MB" }
      limits   = { cpu = "1", memory = "256Mi" }
    }
  }

  expect_failures = [var.resources]
}

run "memory_limit_must_cover_the_request" {
  command = plan

  variables {
    resources = {
      requests = { cpu = "250m", memory = "1Gi" }
      limits   = { cpu = "1", memory = "512Mi" }
    }
  }

  expect_failures = [var.resources]
}

run "cpu_limit_must_cover_the_request" {
  command = plan

  variables {
    resources = {
      requests = { cpu = "1.5", memory = "256Mi" }
      limits   = { cpu = "1000m", memory = "256Mi" }
    }
  }

  expect_failures = [var.resources]
}

run "budget_must_not_set_both_bounds" {
  command = plan

  variables {
    pod_disruption_budget = { min_available = "1", max_unavailable = "1" }
  }

  expect_failures = [var.pod_disruption_budget]
}

run "budget_must_set_one_bound_when_enabled" {
  command = plan

  variables {
    pod_disruption_budget = { enabled = true }
  }

  expect_failures = [var.pod_disruption_budget]
}

run "budget_bound_must_be_a_count_or_percentage" {
  command = plan

  variables {
    pod_disruption_budget = { max_unavailable = "1.5" }
  }

  expect_failures = [var.pod_disruption_budget]
}

run "budget_percentage_must_not_exceed_100" {
  command = plan

  variables {
    pod_disruption_budget = { max_unavailable = "150%" }
  }

  expect_failures = [var.pod_disruption_budget]
}

run "budget_max_unavailable_must_not_be_zero" {
  command = plan

  variables {
    pod_disruption_budget = { max_unavailable = "0%" }
  }

  expect_failures = [var.pod_disruption_budget]
}

run "budget_min_available_must_leave_a_pod_evictable" {
  command = plan

  variables {
    autoscaling_enabled   = false
    replicas              = 3
    pod_disruption_budget = { min_available = "3" }
  }

  expect_failures = [var.pod_disruption_budget]
}

run "budget_min_available_percentage_rounds_up" {
  command = plan

  variables {
    # ceil(75% of 3) = 3: nothing evictable at the autoscaler floor.
    autoscaling_min_replicas = 3
    pod_disruption_budget    = { min_available = "75%" }
  }

  expect_failures = [var.pod_disruption_budget]
}

run "service_type_must_be_supported" {
  command = plan

  variables {
    service_type = "ExternalName"
  }

  expect_failures = [var.service_type]
}

run "service_port_must_be_a_port" {
  command = plan

  variables {
    service_port = 70000
  }

  expect_failures = [var.service_port]
}

run "udp_port_must_not_be_privileged" {
  command = plan

  variables {
    udp_port = 53
  }

  expect_failures = [var.udp_port]
}

run "udp_port_must_not_be_zero" {
  command = plan

  variables {
    udp_port = 0
  }

  expect_failures = [var.udp_port]
}

run "log_level_must_be_a_pino_level" {
  command = plan

  variables {
    log_level = "verbose"
  }

  expect_failures = [var.log_level]
}

run "drain_seconds_must_not_be_negative" {
  command = plan

  variables {
    drain_seconds = -1
  }

  expect_failures = [var.drain_seconds]
}

run "drain_seconds_must_not_exceed_an_hour" {
  command = plan

  variables {
    drain_seconds = 3600.5
  }

  expect_failures = [var.drain_seconds]
}

run "max_datagram_bytes_must_fit_a_padded_health_request" {
  command = plan

  variables {
    max_datagram_bytes = 45
  }

  expect_failures = [var.max_datagram_bytes]
}

run "max_datagram_bytes_must_fit_ipv4_udp" {
  command = plan

  variables {
    max_datagram_bytes = 65508
  }

  expect_failures = [var.max_datagram_bytes]
}

run "recv_buffer_bytes_must_be_at_least_4096" {
  command = plan

  variables {
    recv_buffer_bytes = 4095
  }

  expect_failures = [var.recv_buffer_bytes]
}

run "recv_buffer_bytes_must_not_exceed_1_gib" {
  command = plan

  variables {
    recv_buffer_bytes = 1073741825
  }

  expect_failures = [var.recv_buffer_bytes]
}

run "drain_margin_must_meet_the_chart_minimum" {
  command = plan

  variables {
    drain_margin_seconds = 1
  }

  expect_failures = [var.drain_margin_seconds]
}

run "rollout_timeout_must_be_at_least_a_minute" {
  command = plan

  variables {
    rollout_timeout_seconds = 30
  }

  expect_failures = [var.rollout_timeout_seconds]
}
