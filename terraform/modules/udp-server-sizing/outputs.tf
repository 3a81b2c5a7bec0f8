################################################################################
# Environment
################################################################################

output "max_history" {
  description = "Helm release revisions to keep."
  value       = local.this.max_history
}

output "autoscaling_min_replicas" {
  description = "Fewest pods the HorizontalPodAutoscaler keeps."
  value       = local.this.autoscaling_min_replicas
}

output "autoscaling_max_replicas" {
  description = "Most pods the HorizontalPodAutoscaler may run."
  value       = local.this.autoscaling_max_replicas
}

output "autoscaling_target_cpu_utilization_percentage" {
  description = "Average CPU, as a percentage of the request, the HorizontalPodAutoscaler aims for."
  value       = local.this.autoscaling_target_cpu_utilization_percentage
}

output "resources" {
  description = "Container requests and limits."
  value       = local.resources
}

output "pod_disruption_budget" {
  description = "PodDisruptionBudget: how many pods a voluntary eviction may take at once."
  value       = { max_unavailable = local.this.max_unavailable }
}

output "log_level" {
  description = "Server log level."
  value       = local.this.log_level
}

output "drain_seconds" {
  description = "Seconds the server keeps answering after SIGTERM."
  value       = local.this.drain_seconds
}
