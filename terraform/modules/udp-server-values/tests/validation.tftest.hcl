# Every validation rule refuses what it should, at plan time, before any provider is contacted. One run per rule
# (or per distinct way of breaking it); each expects exactly the failing variable. Settings the chart's own schema
# checks (log level, drain range, service type, ports) are left to it: `helm lint` runs at plan time in the release.

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

run "image_digest_must_be_a_sha256_digest" {
  command = plan

  variables {
    image_digest = "sha256:0123"
  }

  expect_failures = [var.image_digest]
}

run "image_digest_must_not_be_a_tag" {
  command = plan

  variables {
    image_digest = "0123456789abcdef0123456789abcdef01234567"
  }

  expect_failures = [var.image_digest]
}

run "replicas_must_be_at_least_one" {
  command = plan

  variables {
    sizing = { replicas = 0 }
  }

  expect_failures = [var.sizing]
}

run "replicas_must_be_whole" {
  command = plan

  variables {
    sizing = { replicas = 1.5 }
  }

  expect_failures = [var.sizing]
}

run "autoscaling_min_replicas_must_be_at_least_one" {
  command = plan

  variables {
    sizing = { autoscaling = { min_replicas = 0, max_replicas = 3 } }
  }

  expect_failures = [var.sizing]
}

run "autoscaling_min_replicas_must_not_exceed_max" {
  command = plan

  variables {
    sizing = { autoscaling = { min_replicas = 5, max_replicas = 4 } }
  }

  expect_failures = [var.sizing]
}

run "autoscaling_max_replicas_must_not_exceed_1000" {
  command = plan

  variables {
    sizing = { autoscaling = { max_replicas = 1001 } }
  }

  expect_failures = [var.sizing]
}

run "autoscaling_target_must_be_above_zero" {
  command = plan

  variables {
    sizing = { autoscaling = { target_cpu_utilization_percentage = 0 } }
  }

  expect_failures = [var.sizing]
}

run "autoscaling_target_must_not_exceed_1000" {
  command = plan

  variables {
    sizing = { autoscaling = { target_cpu_utilization_percentage = 1001 } }
  }

  expect_failures = [var.sizing]
}

run "cpu_must_be_a_quantity" {
  command = plan

  variables {
    sizing = { resources = { requests = { cpu = "lots", memory = "256Mi" }, limits = { cpu = "1", memory = "256Mi" } } }
  }

  expect_failures = [var.sizing]
}

run "cpu_request_must_not_be_zero" {
  command = plan

  variables {
    sizing = { resources = { requests = { cpu = "0m", memory = "256Mi" }, limits = { cpu = "1", memory = "256Mi" } } }
  }

  expect_failures = [var.sizing]
}

run "memory_must_be_a_quantity" {
  command = plan

  variables {
    sizing = { resources = { requests = { cpu = "250m", memory = "256MB" }, limits = { cpu = "1", memory = "256Mi" } } }
  }

  expect_failures = [var.sizing]
}

run "memory_limit_must_cover_the_request" {
  command = plan

  variables {
    sizing = { resources = { requests = { cpu = "250m", memory = "1Gi" }, limits = { cpu = "1", memory = "512Mi" } } }
  }

  expect_failures = [var.sizing]
}

run "cpu_limit_must_cover_the_request" {
  command = plan

  variables {
    sizing = { resources = { requests = { cpu = "1.5", memory = "256Mi" }, limits = { cpu = "1000m", memory = "256Mi" } } }
  }

  expect_failures = [var.sizing]
}

run "budget_must_not_set_both_bounds" {
  command = plan

  variables {
    sizing = { pod_disruption_budget = { min_available = "1", max_unavailable = "1" } }
  }

  expect_failures = [var.sizing]
}

run "budget_must_set_one_bound_when_enabled" {
  command = plan

  variables {
    sizing = { pod_disruption_budget = { enabled = true } }
  }

  expect_failures = [var.sizing]
}

run "budget_bound_must_be_a_count_or_percentage" {
  command = plan

  variables {
    sizing = { pod_disruption_budget = { max_unavailable = "1.5" } }
  }

  expect_failures = [var.sizing]
}

run "budget_percentage_must_not_exceed_100" {
  command = plan

  variables {
    sizing = { pod_disruption_budget = { max_unavailable = "150%" } }
  }

  expect_failures = [var.sizing]
}

run "budget_max_unavailable_must_not_be_zero" {
  command = plan

  variables {
    sizing = { pod_disruption_budget = { max_unavailable = "0%" } }
  }

  expect_failures = [var.sizing]
}

run "budget_min_available_must_leave_a_pod_evictable" {
  command = plan

  variables {
    sizing = { replicas = 3, autoscaling = { enabled = false }, pod_disruption_budget = { min_available = "3" } }
  }

  expect_failures = [var.sizing]
}

run "budget_min_available_percentage_rounds_up" {
  command = plan

  variables {
    sizing = { autoscaling = { min_replicas = 3, max_replicas = 6 }, pod_disruption_budget = { min_available = "75%" } }
  }

  expect_failures = [var.sizing]
}

run "drain_margin_must_meet_the_chart_minimum" {
  command = plan

  variables {
    timing = { drain_margin_seconds = 1 }
  }

  expect_failures = [var.timing]
}

run "rollout_timeout_must_be_at_least_a_minute" {
  command = plan

  variables {
    timing = { rollout_timeout_seconds = 30 }
  }

  expect_failures = [var.timing]
}
