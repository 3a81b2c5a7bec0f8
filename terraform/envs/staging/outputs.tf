# Read by the deploy tool with `terraform output -json`. Staging's commit, chart_version and image_digest are what
# production may deploy ("staging first"). They come from the release Helm reports, so they are null after a
# failed (rolled back) apply rather than claiming a commit that is not running.

output "environment" {
  description = "Environment this root deploys."
  value       = local.environment
}

output "commit" {
  description = "Git commit the release runs (the published chart's appVersion); null after a failed apply."
  value       = module.release.commit
}

output "chart_repository" {
  description = "Where the released chart was published."
  value       = module.release.chart_repository
}

output "chart_version" {
  description = "Version of the published chart the release runs; null after a failed apply."
  value       = module.release.chart_version
}

output "image_repository" {
  description = "Image repository the release runs; null after a failed apply."
  value       = module.release.image_repository
}

output "image_digest" {
  description = "Image digest the release runs; null after a failed apply."
  value       = module.release.image_digest
}

output "release_name" {
  description = "Helm release name."
  value       = module.release.release_name
}

output "namespace" {
  description = "Namespace of the release."
  value       = module.release.namespace
}

output "revision" {
  description = "Helm revision after the last successful apply (as in `helm history`); null after a failed apply."
  value       = module.release.revision
}
