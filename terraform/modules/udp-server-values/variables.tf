################################################################################
# Image
################################################################################

variable "image_repository" {
  type        = string
  description = "Container image repository, without tag or digest, e.g. ghcr.io/example/udp-server. Becomes image.repository."

  validation {
    condition     = length(var.image_repository) <= 255 && can(regex("^([A-Za-z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$", var.image_repository))
    error_message = "image_repository must be an image name without tag or digest (lowercase path components, optional registry host[:port]/ prefix, at most 255 characters), e.g. ghcr.io/example/udp-server."
  }
}

variable "image_tag" {
  type        = string
  description = "Image tag: the full 40-character git commit sha the image was built from (CI tags every image with it). Becomes image.tag. Mutable tags such as latest are refused: a rollback must bring back the same bytes."

  validation {
    condition     = can(regex("^[0-9a-f]{40}$", var.image_tag))
    error_message = "image_tag must be a full git commit sha: exactly 40 lowercase hexadecimal characters (git rev-parse HEAD)."
  }
}

variable "image_pull_policy" {
  type        = string
  description = "When the kubelet pulls the image. Tags are immutable commit shas, so IfNotPresent is safe and avoids a registry round trip per pod start. Becomes image.pullPolicy."
  default     = "IfNotPresent"
  nullable    = false

  validation {
    condition     = contains(["Always", "IfNotPresent", "Never"], var.image_pull_policy)
    error_message = "image_pull_policy must be one of Always, IfNotPresent, Never."
  }
}

################################################################################
# Replicas and autoscaling
################################################################################

variable "replicas" {
  type        = number
  description = "Pod count when autoscaling is off. Becomes replicaCount (the HorizontalPodAutoscaler owns the count when autoscaling is on)."
  default     = 2
  nullable    = false

  validation {
    condition     = var.replicas == floor(var.replicas) && var.replicas >= 1 && var.replicas <= 1000
    error_message = "replicas must be a whole number from 1 to 1000."
  }
}

variable "autoscaling_enabled" {
  type        = bool
  description = "Create a HorizontalPodAutoscaler that scales between autoscaling_min_replicas and autoscaling_max_replicas on CPU (needs metrics-server in the cluster). Off: replicas pods. Becomes autoscaling.enabled."
  default     = true
  nullable    = false
}

variable "autoscaling_min_replicas" {
  type        = number
  description = "Lowest pod count the HorizontalPodAutoscaler may choose. Becomes autoscaling.minReplicas."
  default     = 2
  nullable    = false

  validation {
    condition     = var.autoscaling_min_replicas == floor(var.autoscaling_min_replicas) && var.autoscaling_min_replicas >= 1 && var.autoscaling_min_replicas <= 1000
    error_message = "autoscaling_min_replicas must be a whole number from 1 to 1000."
  }
}

variable "autoscaling_max_replicas" {
  type        = number
  description = "Highest pod count the HorizontalPodAutoscaler may choose; at least autoscaling_min_replicas. Becomes autoscaling.maxReplicas."
  default     = 10
  nullable    = false

  validation {
    condition     = var.autoscaling_max_replicas == floor(var.autoscaling_max_replicas) && var.autoscaling_max_replicas >= 1 && var.autoscaling_max_replicas <= 1000
    error_message = "autoscaling_max_replicas must be a whole number from 1 to 1000."
  }

  validation {
    condition     = var.autoscaling_max_replicas >= var.autoscaling_min_replicas
    error_message = "autoscaling_max_replicas must be at least autoscaling_min_replicas."
  }
}

variable "autoscaling_target_cpu_utilization_percentage" {
  type        = number
  description = "Average CPU use, as a percentage of resources.requests.cpu, that the HorizontalPodAutoscaler aims for. Becomes autoscaling.targetCPUUtilizationPercentage."
  default     = 70
  nullable    = false

  validation {
    condition     = var.autoscaling_target_cpu_utilization_percentage == floor(var.autoscaling_target_cpu_utilization_percentage) && var.autoscaling_target_cpu_utilization_percentage >= 1 && var.autoscaling_target_cpu_utilization_percentage <= 1000
    error_message = "autoscaling_target_cpu_utilization_percentage must be a whole number from 1 to 1000 (above 100 means above the CPU request, up to the limit)."
  }
}

################################################################################
# Resources
################################################################################

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
  default = {
    requests = { cpu = "250m", memory = "256Mi" }
    limits   = { cpu = "1000m", memory = "256Mi" }
  }
  nullable = false

  validation {
    condition = alltrue([
      for q in [var.resources.requests.cpu, var.resources.limits.cpu] :
      can(regex("^([0-9]+m|[0-9]+(\\.[0-9]{1,3})?)$", q)) && try(tonumber(trimsuffix(q, "m")) > 0, false)
    ])
    error_message = "resources.requests.cpu and resources.limits.cpu must be non-zero CPU quantities such as 250m, 1 or 1.5."
  }

  validation {
    condition = alltrue([
      for q in [var.resources.requests.memory, var.resources.limits.memory] :
      can(regex("^[1-9][0-9]*(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$", q))
    ])
    error_message = "resources.requests.memory and resources.limits.memory must be memory quantities such as 256Mi, 1Gi or 500M."
  }

  validation {
    # Compared in bytes. An unparsable quantity passes here: the format rule above reports it.
    condition = try(
      tonumber(regex("^[0-9.]+", var.resources.limits.memory)) * lookup({ "" = 1, k = 1e3, M = 1e6, G = 1e9, T = 1e12, Ki = 1024, Mi = 1048576, Gi = 1073741824, Ti = 1099511627776 }, replace(var.resources.limits.memory, "/^[0-9.]+/", ""), 0)
      >= tonumber(regex("^[0-9.]+", var.resources.requests.memory)) * lookup({ "" = 1, k = 1e3, M = 1e6, G = 1e9, T = 1e12, Ki = 1024, Mi = 1048576, Gi = 1073741824, Ti = 1099511627776 }, replace(var.resources.requests.memory, "/^[0-9.]+/", ""), 0),
      true
    )
    error_message = "resources.limits.memory must be at least resources.requests.memory: Kubernetes rejects such a pod, and the rollout would only fail at its timeout."
  }

  validation {
    # Compared in millicores. An unparsable quantity passes here: the format rule above reports it.
    condition = try(
      (endswith(var.resources.limits.cpu, "m") ? tonumber(trimsuffix(var.resources.limits.cpu, "m")) : tonumber(var.resources.limits.cpu) * 1000)
      >= (endswith(var.resources.requests.cpu, "m") ? tonumber(trimsuffix(var.resources.requests.cpu, "m")) : tonumber(var.resources.requests.cpu) * 1000),
      true
    )
    error_message = "resources.limits.cpu must be at least resources.requests.cpu: Kubernetes rejects such a pod."
  }
}

################################################################################
# Disruption budget
################################################################################

variable "pod_disruption_budget" {
  type = object({
    enabled         = optional(bool, true)
    min_available   = optional(string)
    max_unavailable = optional(string)
  })
  description = "PodDisruptionBudget for voluntary evictions (node drains, cluster upgrades). Set exactly one of min_available and max_unavailable, as a pod count (\"1\") or a percentage (\"50%\"); the other stays null. Becomes podDisruptionBudget."
  default = {
    enabled         = true
    max_unavailable = "1"
  }
  nullable = false

  validation {
    condition = alltrue([
      for v in [var.pod_disruption_budget.min_available, var.pod_disruption_budget.max_unavailable] :
      v == null || can(regex("^([0-9]+|([0-9]|[1-9][0-9]|100)%)$", coalesce(v, "x")))
    ])
    error_message = "pod_disruption_budget.min_available and max_unavailable must be a whole pod count such as \"1\" or a percentage from 0% to 100% such as \"50%\"."
  }

  validation {
    condition     = !var.pod_disruption_budget.enabled || ((var.pod_disruption_budget.min_available == null) != (var.pod_disruption_budget.max_unavailable == null))
    error_message = "pod_disruption_budget: set exactly one of min_available and max_unavailable when enabled (the chart refuses both or neither)."
  }

  validation {
    condition     = !var.pod_disruption_budget.enabled || !contains(["0", "0%"], coalesce(var.pod_disruption_budget.max_unavailable, "unset"))
    error_message = "pod_disruption_budget.max_unavailable must not be 0: it blocks every voluntary eviction, so node drains and cluster upgrades hang."
  }

  validation {
    # The lowest pod count the release can run at: replicas, or the autoscaler's floor. A min_available that
    # reaches it (PodDisruptionBudget percentages round up) leaves no pod evictable and drains hang.
    condition = (
      !var.pod_disruption_budget.enabled || var.pod_disruption_budget.min_available == null || try(
        endswith(var.pod_disruption_budget.min_available, "%")
        ? ceil(tonumber(trimsuffix(var.pod_disruption_budget.min_available, "%")) * (var.autoscaling_enabled ? var.autoscaling_min_replicas : var.replicas) / 100) < (var.autoscaling_enabled ? var.autoscaling_min_replicas : var.replicas)
        : tonumber(var.pod_disruption_budget.min_available) < (var.autoscaling_enabled ? var.autoscaling_min_replicas : var.replicas),
        true
      )
    )
    error_message = "pod_disruption_budget.min_available must leave at least one pod evictable at the lowest pod count (replicas, or autoscaling_min_replicas with autoscaling on); otherwise node drains hang."
  }
}

################################################################################
# Service
################################################################################

variable "service_type" {
  type        = string
  description = "Kubernetes Service type in front of the pods. Becomes service.type."
  default     = "ClusterIP"
  nullable    = false

  validation {
    condition     = contains(["ClusterIP", "NodePort", "LoadBalancer"], var.service_type)
    error_message = "service_type must be one of ClusterIP, NodePort, LoadBalancer."
  }
}

variable "service_port" {
  type        = number
  description = "UDP port the Service listens on. Becomes service.port."
  default     = 9999
  nullable    = false

  validation {
    condition     = var.service_port == floor(var.service_port) && var.service_port >= 1 && var.service_port <= 65535
    error_message = "service_port must be a whole number from 1 to 65535."
  }
}

################################################################################
# Server
################################################################################

variable "udp_port" {
  type        = number
  description = "UDP port the server binds in the container (UDP_PORT). Becomes server.port. The pod runs as non-root with every capability dropped, so privileged ports (below 1024) cannot be bound; service_port may still be 53."
  default     = 9999
  nullable    = false

  validation {
    condition     = var.udp_port == floor(var.udp_port) && var.udp_port >= 1024 && var.udp_port <= 65535
    error_message = "udp_port must be a whole number from 1024 to 65535 (the pod cannot bind a privileged port)."
  }
}

variable "log_level" {
  type        = string
  description = "Lowest pino level the server writes (LOG_LEVEL). Becomes server.logLevel."
  default     = "info"
  nullable    = false

  validation {
    condition     = contains(["fatal", "error", "warn", "info", "debug", "trace", "silent"], var.log_level)
    error_message = "log_level must be one of fatal, error, warn, info, debug, trace, silent."
  }
}

variable "drain_seconds" {
  type        = number
  description = "Seconds the server keeps answering after SIGTERM before it closes (DRAIN_SECONDS). Becomes server.drainSeconds, and sizes terminationGracePeriodSeconds and the release timeout. The default 10 covers the chart's readiness probe seeing DRAINING (5 x 1 + 3 s) plus 2 s for kube-proxy to move the pod's UDP flows: measured loss-free on a real cluster."
  default     = 10
  nullable    = false

  validation {
    condition     = var.drain_seconds >= 0 && var.drain_seconds <= 3600
    error_message = "drain_seconds must be a number from 0 to 3600."
  }
}

variable "max_datagram_bytes" {
  type        = number
  description = "Largest datagram the server answers; bigger ones are dropped and counted (MAX_DATAGRAM_BYTES). 1472 fills one 1500-byte Ethernet frame. Becomes server.maxDatagramBytes."
  default     = 1472
  nullable    = false

  validation {
    condition     = var.max_datagram_bytes == floor(var.max_datagram_bytes) && var.max_datagram_bytes >= 46 && var.max_datagram_bytes <= 65507
    error_message = "max_datagram_bytes must be a whole number from 46 to 65507."
  }
}

variable "recv_buffer_bytes" {
  type        = number
  description = "Socket receive buffer the server asks for, SO_RCVBUF (RECV_BUFFER_BYTES). The kernel caps it at net.core.rmem_max, and queued datagrams count against the memory limit. Becomes server.recvBufferBytes."
  default     = 4194304
  nullable    = false

  validation {
    condition     = var.recv_buffer_bytes == floor(var.recv_buffer_bytes) && var.recv_buffer_bytes >= 4096 && var.recv_buffer_bytes <= 1073741824
    error_message = "recv_buffer_bytes must be a whole number from 4096 to 1073741824."
  }
}

################################################################################
# Release timing
################################################################################

variable "drain_margin_seconds" {
  type        = number
  description = "Seconds between the end of the drain and the kubelet's SIGKILL, for the server to close its socket and flush its logs. terminationGracePeriodSeconds = ceil(drain_seconds) + this; the chart needs at least 2. The default 5 gives the chart's own 15 s with the default 10 s drain."
  default     = 5
  nullable    = false

  validation {
    condition     = var.drain_margin_seconds == floor(var.drain_margin_seconds) && var.drain_margin_seconds >= 2 && var.drain_margin_seconds <= 300
    error_message = "drain_margin_seconds must be a whole number from 2 to 300 (the chart refuses a grace period shorter than ceil(drain_seconds) + 2)."
  }
}

variable "rollout_timeout_seconds" {
  type        = number
  description = "Seconds a rollout may take to bring every new pod to Ready, before the drain window is added. Helm's own default is 300."
  default     = 300
  nullable    = false

  validation {
    condition     = var.rollout_timeout_seconds == floor(var.rollout_timeout_seconds) && var.rollout_timeout_seconds >= 60 && var.rollout_timeout_seconds <= 3600
    error_message = "rollout_timeout_seconds must be a whole number from 60 to 3600."
  }
}
