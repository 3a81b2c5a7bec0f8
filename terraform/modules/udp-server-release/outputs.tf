################################################################################
# Release
################################################################################

# What runs comes from the release Helm reports back (metadata), not from the inputs. After a failed apply,
# Terraform still records outputs computed from inputs (it would claim a commit the atomic rollback removed),
# whereas metadata, which the provider recomputes on every change, is unknown in the plan and stored as null when
# the upgrade fails: these outputs are then null until the next successful apply or refresh. That is what lets the
# deploy tool trust staging's commit as "staging runs this".

output "release_name" {
  description = "Helm release name."
  value       = helm_release.this.name
}

output "namespace" {
  description = "Namespace the release is installed in."
  value       = helm_release.this.namespace
}

output "revision" {
  description = "Helm revision of the release as of the last successful apply (the number `helm history` shows); null after a failed apply."
  value       = try(helm_release.this.metadata.revision, null)
}

################################################################################
# Chart
################################################################################

output "chart_repository" {
  description = "Where the released chart was published."
  value       = helm_release.this.repository
}

output "chart_version" {
  description = "Version of the published chart the release runs; null after a failed apply."
  value       = try(helm_release.this.metadata.version, null)
}

output "commit" {
  description = "Git commit the release runs: the published chart's appVersion; null after a failed apply."
  value       = try(helm_release.this.metadata.app_version, null)
}

output "image_repository" {
  description = "Image repository the release runs, as Helm recorded it; null after a failed apply."
  value       = try(jsondecode(helm_release.this.metadata.values).image.repository, null)
}

output "image_digest" {
  description = "Image digest the release runs, as Helm recorded it; null after a failed apply."
  value       = try(jsondecode(helm_release.this.metadata.values).image.digest, null)
}
