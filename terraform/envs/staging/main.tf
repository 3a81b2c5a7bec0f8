locals {
  environment = "staging"
  # What this environment runs (sizing, timing, release history): data, also read by
  # modules/udp-server-values/examples/environments, so that what is deployed is what is tested.
  settings = yamldecode(file("${path.module}/settings.yaml"))
}

module "values" {
  source = "../../modules/udp-server-values"

  image_repository = var.image_repository
  image_tag        = var.image_tag
  image_digest     = var.image_digest
  sizing           = local.settings.sizing
  timing           = merge(local.settings.timing, { for key, value in { rollout_timeout_seconds = var.rollout_timeout_seconds } : key => value if value != null })
}

module "release" {
  source = "../../modules/udp-server-release"

  release_name              = var.release_name
  namespace                 = coalesce(var.namespace, "ricochet-${local.environment}")
  max_history               = local.settings.release.max_history
  chart_repository          = var.chart_repository
  chart_version             = var.chart_version
  values_yaml               = module.values.values_yaml
  timeout_seconds           = module.values.release_timeout_seconds
  operation_timeout_seconds = module.values.operation_timeout_seconds
}
