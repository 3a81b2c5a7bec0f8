################################################################################
# Release
################################################################################

locals {
  chart_path = coalesce(var.chart_path, "${path.module}/../../../helm/udp-server")

  # The provider notices a local chart's changes only through its version. A digest of the files Helm renders
  # from goes into the release description, so a template edit without a version bump still plans an upgrade.
  chart_files  = sort(setunion(fileset(local.chart_path, "*.{yaml,json}"), fileset(local.chart_path, "templates/**")))
  chart_digest = substr(sha256(join("\n", [for f in local.chart_files : "${f} ${filesha256("${local.chart_path}/${f}")}"])), 0, 12)

  # Go durations for the resource's timeouts attribute.
  operation_timeout = "${module.values.operation_timeout_seconds}s"
}

resource "helm_release" "this" {
  name             = var.release_name
  namespace        = var.namespace
  create_namespace = var.create_namespace

  # A local chart: no repository, no version (the chart's own version is read from its Chart.yaml).
  chart       = local.chart_path
  description = "image ${module.values.image}, chart files ${local.chart_digest}"
  values      = [module.values.values_yaml]

  # Wait until every new pod is Ready; if the upgrade fails or times out, roll back to the last good revision
  # (atomic implies wait) and delete what the failed upgrade created. These are the provider's 3.x names; Helm 4's
  # CLI calls atomic --rollback-on-failure.
  wait            = true
  atomic          = true
  cleanup_on_fail = true
  timeout         = module.values.release_timeout_seconds
  max_history     = var.max_history

  # helm lint at plan time: a chart that cannot render fails the plan, not the apply.
  lint = true

  timeouts = {
    create = local.operation_timeout
    update = local.operation_timeout
    delete = local.operation_timeout
  }
}

################################################################################
# Chart values
################################################################################

module "values" {
  source = "../udp-server-values"

  image_repository  = var.image_repository
  image_tag         = var.image_tag
  image_pull_policy = var.image_pull_policy

  replicas                                      = var.replicas
  autoscaling_enabled                           = var.autoscaling_enabled
  autoscaling_min_replicas                      = var.autoscaling_min_replicas
  autoscaling_max_replicas                      = var.autoscaling_max_replicas
  autoscaling_target_cpu_utilization_percentage = var.autoscaling_target_cpu_utilization_percentage

  resources             = var.resources
  pod_disruption_budget = var.pod_disruption_budget

  service_type = var.service_type
  service_port = var.service_port

  udp_port           = var.udp_port
  log_level          = var.log_level
  drain_seconds      = var.drain_seconds
  max_datagram_bytes = var.max_datagram_bytes
  recv_buffer_bytes  = var.recv_buffer_bytes

  drain_margin_seconds    = var.drain_margin_seconds
  rollout_timeout_seconds = var.rollout_timeout_seconds
}
