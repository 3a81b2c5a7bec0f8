################################################################################
# Release
################################################################################

variable "release_name" {
  type        = string
  description = "Helm release name. With the default, resources are named udp-server (the chart drops a release name that already contains the chart name)."
  default     = "udp-server"

  validation {
    condition     = length(var.release_name) <= 53 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.release_name))
    error_message = "release_name must be a DNS-1123 label of at most 53 characters (Helm's limit): lowercase letters, digits and '-'."
  }
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace of the release."

  validation {
    condition     = length(var.namespace) <= 63 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and '-'."
  }
}

variable "create_namespace" {
  type        = bool
  description = "Create the namespace when it does not exist. Helm never deletes it, not even on destroy."
  default     = true
}

variable "chart_path" {
  type        = string
  description = "Path to the chart directory. null: helm/udp-server of this repository, found relative to this module."
  default     = null

  validation {
    condition     = var.chart_path == null || try(fileexists("${var.chart_path}/Chart.yaml"), false)
    error_message = "chart_path must be a chart directory (one holding Chart.yaml)."
  }
}

variable "max_history" {
  type        = number
  description = "Release revisions Helm keeps (one Secret each); older ones are pruned. Enough for `helm rollback` to a few known-good revisions."
  default     = 10

  validation {
    condition     = var.max_history == floor(var.max_history) && var.max_history >= 2 && var.max_history <= 100
    error_message = "max_history must be a whole number from 2 to 100 (0, Helm's 'unlimited', grows a Secret per deploy forever; 1 leaves nothing to roll back to)."
  }
}

################################################################################
# Chart values
#
# Image, replicas and autoscaling, resources, disruption budget, service, server settings and release timing,
# passed straight to ../udp-server-values, which holds their defaults and their validation: one copy of each
# rule, proven offline by `terraform test` there. null (the default here) means "the values module's default"
# (its variables are nullable = false); an invalid value fails at plan, in that module, before anything is
# installed. Descriptions say where each input goes; see ../udp-server-values/variables.tf for the rules.
################################################################################

variable "image_repository" {
  type        = string
  description = "Container image repository, without tag or digest, e.g. ghcr.io/example/udp-server. Becomes image.repository."
}

variable "image_tag" {
  type        = string
  description = "Image tag: the full 40-character git commit sha the image was built from (CI tags every image with it). Becomes image.tag. Mutable tags such as latest are refused: a rollback must bring back the same bytes."
}

variable "image_pull_policy" {
  type        = string
  description = "When the kubelet pulls the image. Tags are immutable commit shas, so IfNotPresent is safe and avoids a registry round trip per pod start. Becomes image.pullPolicy."
  default     = null
}

variable "replicas" {
  type        = number
  description = "Pod count when autoscaling is off. Becomes replicaCount (the HorizontalPodAutoscaler owns the count when autoscaling is on)."
  default     = null
}

variable "autoscaling_enabled" {
  type        = bool
  description = "Create a HorizontalPodAutoscaler that scales between autoscaling_min_replicas and autoscaling_max_replicas on CPU (needs metrics-server in the cluster). Off: replicas pods. Becomes autoscaling.enabled."
  default     = null
}

variable "autoscaling_min_replicas" {
  type        = number
  description = "Lowest pod count the HorizontalPodAutoscaler may choose. Becomes autoscaling.minReplicas."
  default     = null
}

variable "autoscaling_max_replicas" {
  type        = number
  description = "Highest pod count the HorizontalPodAutoscaler may choose; at least autoscaling_min_replicas. Becomes autoscaling.maxReplicas."
  default     = null
}

variable "autoscaling_target_cpu_utilization_percentage" {
  type        = number
  description = "Average CPU use, as a percentage of resources.requests.cpu, that the HorizontalPodAutoscaler aims for. Becomes autoscaling.targetCPUUtilizationPercentage."
  default     = null
}

variable "resources" {
  type = object({
    requests = object({
      cpu    = string
      memory = string
    })
    limits = object({
      cpu    = string
      memory = string
    })
  })
  description = "Container resources as Kubernetes quantities. The defaults are the chart's measured ones (helm/udp-server/values.yaml): requests.cpu is what the autoscaler's target is a percentage of, and memory request = limit so the scheduler reserves what a pod may use. Becomes resources."
  default     = null
}

variable "pod_disruption_budget" {
  type = object({
    enabled         = optional(bool, true)
    min_available   = optional(string)
    max_unavailable = optional(string)
  })
  description = "PodDisruptionBudget for voluntary evictions (node drains, cluster upgrades). Set exactly one of min_available and max_unavailable, as a pod count (\"1\") or a percentage (\"50%\"); the other stays null. Becomes podDisruptionBudget."
  default     = null
}

variable "service_type" {
  type        = string
  description = "Kubernetes Service type in front of the pods. Becomes service.type."
  default     = null
}

variable "service_port" {
  type        = number
  description = "UDP port the Service listens on. Becomes service.port."
  default     = null
}

variable "udp_port" {
  type        = number
  description = "UDP port the server binds in the container (UDP_PORT). Becomes server.port. The pod runs as non-root with every capability dropped, so privileged ports (below 1024) cannot be bound; service_port may still be 53."
  default     = null
}

variable "log_level" {
  type        = string
  description = "Lowest pino level the server writes (LOG_LEVEL). Becomes server.logLevel."
  default     = null
}

variable "drain_seconds" {
  type        = number
  description = "Seconds the server keeps answering after SIGTERM before it closes (DRAIN_SECONDS). Becomes server.drainSeconds, and sizes terminationGracePeriodSeconds and the release timeout."
  default     = null
}

variable "max_datagram_bytes" {
  type        = number
  description = "Largest datagram the server answers; bigger ones are dropped and counted (MAX_DATAGRAM_BYTES). 1472 fills one 1500-byte Ethernet frame. Becomes server.maxDatagramBytes."
  default     = null
}

variable "recv_buffer_bytes" {
  type        = number
  description = "Socket receive buffer the server asks for, SO_RCVBUF (RECV_BUFFER_BYTES). The kernel caps it at net.core.rmem_max, and queued datagrams count against the memory limit. Becomes server.recvBufferBytes."
  default     = null
}

variable "drain_margin_seconds" {
  type        = number
  description = "Seconds between the end of the drain and the kubelet's SIGKILL, for the server to close its socket and flush its logs. terminationGracePeriodSeconds = ceil(drain_seconds) + this; the chart needs at least 2. The default 5 gives the chart's own 10 s with the default 5 s drain."
  default     = null
}

variable "rollout_timeout_seconds" {
  type        = number
  description = "Seconds a rollout may take to bring every new pod to Ready, before the drain window is added. Helm's own default is 300."
  default     = null
}
