# Set by the deploy tool (tools/deploy) with -var; each is checked where it is used (modules/udp-server-values for
# the image, modules/udp-server-release for the chart).

################################################################################
# Image
################################################################################

variable "image_repository" {
  type        = string
  description = "Image repository, without tag or digest, e.g. ghcr.io/acme/udp-server."
}

variable "image_tag" {
  type        = string
  description = "Image tag: the full git commit sha the image was built from."
}

variable "image_digest" {
  type        = string
  description = "Digest the registry stored the image under: the pods run exactly these bytes."
}

################################################################################
# Chart
################################################################################

variable "chart_repository" {
  type        = string
  description = "Where the chart is published, e.g. oci://ghcr.io/acme/charts."
}

variable "chart_version" {
  type        = string
  description = "The published chart version, `<Chart.yaml version>-g<sha12>`."
}

################################################################################
# Release
################################################################################

variable "release_name" {
  type        = string
  description = "Helm release name."
  default     = "udp-server"
  nullable    = false
}

variable "namespace" {
  type        = string
  description = "Namespace of the release. null: `ricochet-<environment>`."
  default     = null
}

variable "rollout_timeout_seconds" {
  type        = number
  description = "Seconds a rollout may take before Helm rolls it back (the grace period is added). null: settings.yaml's, else 300."
  default     = null
}

################################################################################
# Cluster
################################################################################

variable "kubeconfig_path" {
  type        = string
  description = "Path to the kubeconfig file that reaches the cluster."
  default     = "~/.kube/config"
  nullable    = false

  validation {
    condition     = length(trimspace(var.kubeconfig_path)) > 0
    error_message = "kubeconfig_path must not be empty."
  }
}

variable "kube_context" {
  type        = string
  description = "Context of the kubeconfig to use. null: the kubeconfig's current context."
  default     = null

  validation {
    condition     = var.kube_context == null || length(trimspace(coalesce(var.kube_context, " "))) > 0
    error_message = "kube_context must be null (the current context) or a context name, not an empty string."
  }
}
