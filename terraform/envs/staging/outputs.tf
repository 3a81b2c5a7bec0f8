# Read by the deploy tool with `terraform output -json`. In staging, image_tag is what production is allowed to
# deploy ("staging first"). The image and revision come from the release Helm reports, so they are null after a
# failed (rolled back) apply rather than claiming a sha that is not running.

output "environment" {
  description = "Environment this root deploys."
  value       = local.environment
}

output "image_repository" {
  description = "Image repository the release runs; null after a failed apply."
  value       = module.udp_server.image_repository
}

output "image_tag" {
  description = "Image tag (full git commit sha) the release runs; null after a failed apply."
  value       = module.udp_server.image_tag
}

output "release_name" {
  description = "Helm release name."
  value       = module.udp_server.release_name
}

output "namespace" {
  description = "Namespace of the release."
  value       = module.udp_server.namespace
}

output "revision" {
  description = "Helm revision after the last successful apply (as in `helm history`); null after a failed apply."
  value       = module.udp_server.revision
}

output "chart_version" {
  description = "Version of helm/udp-server deployed; null after a failed apply."
  value       = module.udp_server.chart_version
}
