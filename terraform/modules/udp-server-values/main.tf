################################################################################
# Chart values
################################################################################

locals {
  # Every key below exists in helm/udp-server/values.yaml and is checked by its values.schema.json. Keys this
  # module does not decide keep the chart's defaults. null is meaningful where it appears: Helm deletes the
  # chart's default for that key (the budget takes exactly one of minAvailable and maxUnavailable).
  values = {
    image = {
      repository = var.image_repository
      tag        = var.image_tag
      pullPolicy = var.image_pull_policy
    }

    replicaCount = var.replicas

    autoscaling = {
      enabled                        = var.autoscaling_enabled
      minReplicas                    = var.autoscaling_min_replicas
      maxReplicas                    = var.autoscaling_max_replicas
      targetCPUUtilizationPercentage = var.autoscaling_target_cpu_utilization_percentage
    }

    resources = {
      requests = {
        cpu    = var.resources.requests.cpu
        memory = var.resources.requests.memory
      }
      limits = {
        cpu    = var.resources.limits.cpu
        memory = var.resources.limits.memory
      }
    }

    podDisruptionBudget = {
      enabled        = var.pod_disruption_budget.enabled
      minAvailable   = local.pdb_min_available
      maxUnavailable = local.pdb_max_unavailable
    }

    service = {
      type = var.service_type
      port = var.service_port
    }

    server = {
      port             = var.udp_port
      logLevel         = var.log_level
      drainSeconds     = var.drain_seconds
      maxDatagramBytes = var.max_datagram_bytes
      recvBufferBytes  = var.recv_buffer_bytes
    }

    terminationGracePeriodSeconds = local.termination_grace_period_seconds
  }
}

locals {
  # A pod count must reach the PodDisruptionBudget as a YAML integer: the string "1" is read as a percentage and
  # rejected. A conditional would unify "50%" and 1 to one type (string), so each value goes through JSON instead:
  # jsondecode("1") is the number 1, jsondecode("\"50%\"") the string "50%".
  pdb_min_available   = var.pod_disruption_budget.min_available == null ? null : jsondecode(endswith(var.pod_disruption_budget.min_available, "%") ? jsonencode(var.pod_disruption_budget.min_available) : var.pod_disruption_budget.min_available)
  pdb_max_unavailable = var.pod_disruption_budget.max_unavailable == null ? null : jsondecode(endswith(var.pod_disruption_budget.max_unavailable, "%") ? jsonencode(var.pod_disruption_budget.max_unavailable) : var.pod_disruption_budget.max_unavailable)
}

################################################################################
# Release timing
################################################################################

locals {
  # The kubelet sends SIGKILL terminationGracePeriodSeconds after SIGTERM. The server answers for drain_seconds,
  # then needs drain_margin_seconds to close (the chart refuses less than ceil(drainSeconds) + 2).
  termination_grace_period_seconds = ceil(var.drain_seconds) + var.drain_margin_seconds

  # Helm's timeout bounds each of its waits: the install or upgrade until every new pod is Ready (the chart
  # replaces one pod at a time, maxSurge 1 / maxUnavailable 0), the rollback that atomic runs after a failure, and
  # the uninstall on destroy, which waits for the pods to go. A terminating pod keeps answering for the whole
  # drain window, so the grace period is added to the start-up budget: no wait is cut short by a drain.
  release_timeout_seconds = var.rollout_timeout_seconds + local.termination_grace_period_seconds

  # Terraform's own deadline for one create, update or delete of the release (the provider's default is 20
  # minutes): a failed upgrade's full wait plus the rollback's full wait, plus a minute for the API calls around
  # them. With less, Terraform could abandon a rollback midway and leave the release in pending-rollback.
  operation_timeout_seconds = 2 * local.release_timeout_seconds + 60
}
