################################################################################
# Chart values
################################################################################

output "values" {
  description = "The values object passed to helm/udp-server: only the keys this module decides; every other key keeps the chart's default."
  value       = local.values
}

output "values_yaml" {
  description = "The same values as YAML, ready for helm_release.values or `helm upgrade -f`."
  value       = yamlencode(local.values)
}

output "image" {
  description = "The image reference the pods run: repository:tag, with @digest when one is pinned."
  value       = "${var.image_repository}:${var.image_tag}${var.image_digest == null ? "" : "@${var.image_digest}"}"
}

################################################################################
# Sizing
################################################################################

output "sizing" {
  description = "The sizing as this module read it: every attribute it knows, null where nothing is sent. The examples check a sizing file against these names (Terraform drops unknown attributes silently)."
  value       = var.sizing
}

################################################################################
# Release timing
################################################################################

output "termination_grace_period_seconds" {
  description = "Seconds from SIGTERM to SIGKILL for each pod: ceil(drain_seconds) + drain_margin_seconds, or the chart's default when no drain is set."
  value       = local.termination_grace_period_seconds
}

output "release_timeout_seconds" {
  description = "Helm's wait timeout for the release, in seconds: rollout_timeout_seconds plus the grace period. For helm_release.timeout."
  value       = local.release_timeout_seconds
}

output "operation_timeout_seconds" {
  description = "Terraform's deadline for one create or update of the release, in seconds: a failed wait plus the atomic rollback's wait, plus 60. For helm_release.timeouts."
  value       = local.operation_timeout_seconds
}
