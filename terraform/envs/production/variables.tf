################################################################################
# Image
################################################################################

variable "image_repository" {
  type        = string
  description = "Container image repository, without tag or digest, e.g. ghcr.io/ricochet/udp-server. Set by the deploy tool (-var image_repository=...)."

  validation {
    condition     = length(var.image_repository) <= 255 && can(regex("^([A-Za-z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$", var.image_repository))
    error_message = "image_repository must be an image name without tag or digest (lowercase path components, optional registry host[:port]/ prefix), e.g. ghcr.io/ricochet/udp-server."
  }
}

variable "image_tag" {
  type        = string
  description = "Image tag to deploy: the full git commit sha the image was built from. Set by the deploy tool (-var image_tag=...)."

  validation {
    condition     = can(regex("^[0-9a-f]{40}$", var.image_tag))
    error_message = "image_tag must be a full git commit sha: exactly 40 lowercase hexadecimal characters (git rev-parse HEAD)."
  }
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

################################################################################
# Release
################################################################################

variable "release_name" {
  type        = string
  description = "Helm release name (checked by modules/udp-server: a DNS-1123 label of at most 53 characters)."
  default     = "udp-server"
  nullable    = false
}

variable "namespace" {
  type        = string
  description = "Namespace of the release, created when missing (checked by modules/udp-server: a DNS-1123 label)."
  default     = "ricochet-production"
  nullable    = false
}
