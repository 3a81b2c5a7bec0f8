################################################################################
# Release
################################################################################

# Outputs that describe what runs come from the release Helm reports back (metadata), not from the inputs. After
# a failed apply, Terraform still records outputs computed from inputs (it would claim a sha the atomic rollback
# removed), whereas metadata, which the provider recomputes on every change, is unknown in the plan and stored as
# null when the upgrade fails: these outputs are then null until the next successful apply or refresh. That is
# what lets the deploy tool trust staging's image_tag as "staging runs this".

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

output "chart_version" {
  description = "Version of helm/udp-server deployed (its Chart.yaml version); null after a failed apply."
  value       = try(helm_release.this.metadata.version, null)
}

output "timeout_seconds" {
  description = "Helm's wait timeout for the release, in seconds: the start-up budget plus the drain window."
  value       = helm_release.this.timeout
}

################################################################################
# Chart values
################################################################################

output "image_repository" {
  description = "Image repository the release runs, as Helm recorded it; null after a failed apply."
  value       = try(jsondecode(helm_release.this.metadata.values).image.repository, null)
}

output "image_tag" {
  description = "Image tag (full git commit sha) the release runs, as Helm recorded it; null after a failed apply."
  value       = try(jsondecode(helm_release.this.metadata.values).image.tag, null)
}

output "values_yaml" {
  description = "The chart values this configuration passes to the release, as YAML."
  value       = module.values.values_yaml
}
