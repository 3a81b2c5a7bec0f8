################################################################################
# Release
################################################################################

variable "release_name" {
  type        = string
  description = "Helm release name. With the default, resources are named udp-server (the chart drops a release name that already contains the chart name)."
  default     = "udp-server"
  nullable    = false

  validation {
    condition     = length(var.release_name) <= 53 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.release_name))
    error_message = "release_name must be a DNS-1123 label of at most 53 characters (Helm's limit): lowercase letters, digits and '-'."
  }
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace of the release, created when missing (Helm never deletes it, not even on destroy)."

  validation {
    condition     = length(var.namespace) <= 63 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-'."
  }
}

variable "max_history" {
  type        = number
  description = "Release revisions Helm keeps (one Secret each); older ones are pruned. Enough for `helm rollback` to a few known-good revisions."
  default     = 10
  nullable    = false

  validation {
    condition     = var.max_history == floor(var.max_history) && var.max_history >= 2 && var.max_history <= 100
    error_message = "max_history must be a whole number from 2 to 100 (0, Helm's 'unlimited', grows a Secret per deploy forever; 1 leaves nothing to roll back to)."
  }
}

################################################################################
# Chart
################################################################################

variable "chart_repository" {
  type        = string
  description = "Where the chart is published, e.g. oci://ghcr.io/acme/charts (`nx run deploy:publish-chart` pushes it to oci://$RICOCHET_REGISTRY/charts)."

  validation {
    condition     = can(regex("^(oci|https)://[^[:space:]]+[^/]$", var.chart_repository))
    error_message = "chart_repository must be an oci:// or https:// URL without a trailing slash, e.g. oci://ghcr.io/acme/charts."
  }
}

variable "chart_version" {
  type        = string
  description = "The published chart version to release: `<Chart.yaml version>-g<12 hex of the commit>`, e.g. 0.2.0-g0123456789ab."

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.chart_version))
    error_message = "chart_version must be an exact SemVer version such as 0.2.0-g0123456789ab (no ranges: a release names one published chart)."
  }
}

variable "values_yaml" {
  type        = string
  description = "Chart values as YAML: the `values_yaml` output of ../udp-server-values."
}

################################################################################
# Release timing
################################################################################

variable "timeout_seconds" {
  type        = number
  description = "Helm's wait for the release's pods to become Ready (and for the rollback's): the `release_timeout_seconds` output of ../udp-server-values."
}

variable "operation_timeout_seconds" {
  type        = number
  description = "Terraform's deadline for one create, update or delete of the release: the `operation_timeout_seconds` output of ../udp-server-values."
}
