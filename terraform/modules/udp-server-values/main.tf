################################################################################
# Chart values
################################################################################

locals {
  # The chart this repository publishes, read rather than restated: its grace period is what applies when this
  # module sends none, and the release timeouts are sized from it.
  chart_defaults = yamldecode(file("${path.module}/../../../helm/udp-server/values.yaml"))

  # image_repository is the whole name, registry host included. image.registry goes empty with it: the chart then
  # reads image.repository as the whole name, instead of putting its own registry (ghcr.io) in front.
  image = merge(
    { registry = "", repository = var.image_repository, tag = var.image_tag },
    { for key, value in { digest = var.image_digest } : key => value if value != null },
  )

  # A pod count must reach the PodDisruptionBudget as a YAML integer: the string "1" is read as a percentage and
  # rejected. A conditional would unify "50%" and 1 to one type (string), so each value goes through JSON instead:
  # jsondecode("1") is the number 1, jsondecode("\"50%\"") the string "50%".
  budget = var.sizing.pod_disruption_budget == null ? null : {
    enabled        = var.sizing.pod_disruption_budget.enabled
    minAvailable   = var.sizing.pod_disruption_budget.min_available == null ? null : jsondecode(endswith(var.sizing.pod_disruption_budget.min_available, "%") ? jsonencode(var.sizing.pod_disruption_budget.min_available) : var.sizing.pod_disruption_budget.min_available)
    maxUnavailable = var.sizing.pod_disruption_budget.max_unavailable == null ? null : jsondecode(endswith(var.sizing.pod_disruption_budget.max_unavailable, "%") ? jsonencode(var.sizing.pod_disruption_budget.max_unavailable) : var.sizing.pod_disruption_budget.max_unavailable)
  }

  autoscaling = merge(
    { for key, value in { enabled = try(var.sizing.autoscaling.enabled, null) } : key => value if value != null },
    { for key, value in { minReplicas = try(var.sizing.autoscaling.min_replicas, null) } : key => value if value != null },
    { for key, value in { maxReplicas = try(var.sizing.autoscaling.max_replicas, null) } : key => value if value != null },
    { for key, value in { targetCPUUtilizationPercentage = try(var.sizing.autoscaling.target_cpu_utilization_percentage, null) } : key => value if value != null },
  )

  server = merge(
    { for key, value in { logLevel = var.sizing.log_level } : key => value if value != null },
    { for key, value in { drainSeconds = var.timing.drain_seconds } : key => value if value != null },
  )

  # Only what this module decides: every key left out keeps the chart's default (a null would delete it). Each
  # one-key `for` keeps or drops one key; a conditional could not, as {} and an object do not unify. null is
  # meaningful inside the budget: Helm deletes the chart's default for the bound not used.
  values = merge(
    { image = local.image },
    { for key, value in { replicaCount = var.sizing.replicas } : key => value if value != null },
    { for key, value in { autoscaling = local.autoscaling } : key => value if length(value) > 0 },
    { for key, value in { resources = var.sizing.resources } : key => value if value != null },
    { for key, value in { podDisruptionBudget = local.budget } : key => value if value != null },
    { for key, value in { service = { type = var.sizing.service_type } } : key => value if value.type != null },
    { for key, value in { server = local.server } : key => value if length(value) > 0 },
    { for key, value in { terminationGracePeriodSeconds = local.sent_grace_period_seconds } : key => value if value != null },
  )
}

################################################################################
# Release timing
################################################################################

locals {
  # The kubelet sends SIGKILL terminationGracePeriodSeconds after SIGTERM. The server answers for drain_seconds,
  # then needs drain_margin_seconds to close (the chart refuses less than ceil(drainSeconds) + 2). Sent only with a
  # drain of this module's; otherwise the chart's own pair applies.
  sent_grace_period_seconds        = var.timing.drain_seconds == null ? null : ceil(var.timing.drain_seconds) + var.timing.drain_margin_seconds
  termination_grace_period_seconds = coalesce(local.sent_grace_period_seconds, local.chart_defaults.terminationGracePeriodSeconds)

  # Helm's timeout bounds each of its waits: the install or upgrade until every new pod is Ready (the chart
  # replaces one pod at a time, maxSurge 1 / maxUnavailable 0), the rollback that atomic runs after a failure, and
  # the uninstall on destroy, which waits for the pods to go. A terminating pod keeps answering for the whole
  # drain window, so the grace period is added to the start-up budget: no wait is cut short by a drain.
  release_timeout_seconds = var.timing.rollout_timeout_seconds + local.termination_grace_period_seconds

  # Terraform's own deadline for one create, update or delete of the release (the provider's default is 20
  # minutes): a failed upgrade's full wait plus the rollback's full wait, plus a minute for the API calls around
  # them. With less, Terraform could abandon a rollback midway and leave the release in pending-rollback.
  operation_timeout_seconds = 2 * local.release_timeout_seconds + 60
}
