################################################################################
# Release
################################################################################

locals {
  # Go durations for the resource's timeouts attribute.
  operation_timeout = "${var.operation_timeout_seconds}s"
}

resource "helm_release" "this" {
  name             = var.release_name
  namespace        = var.namespace
  create_namespace = true

  # The published chart, by exact version: what runs is what was published, never a local directory.
  repository = var.chart_repository
  chart      = "udp-server"
  version    = var.chart_version
  values     = [var.values_yaml]

  # Wait until every new pod is Ready; if the upgrade fails or times out, roll back to the last good revision
  # (atomic implies wait) and delete what the failed upgrade created. These are the provider's 3.x names; Helm 4's
  # CLI calls atomic --rollback-on-failure.
  wait            = true
  atomic          = true
  cleanup_on_fail = true
  timeout         = var.timeout_seconds
  max_history     = var.max_history

  # helm lint at plan time: values the chart's schema refuses fail the plan, not the apply.
  lint = true

  timeouts = {
    create = local.operation_timeout
    update = local.operation_timeout
    delete = local.operation_timeout
  }
}
