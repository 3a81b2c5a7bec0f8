################################################################################
# Image
################################################################################

variable "image_repository" {
  type        = string
  description = "Container image repository, registry host included, without tag or digest, e.g. ghcr.io/example/udp-server. Becomes image.repository, whole: image.registry is sent empty."

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

variable "image_digest" {
  type        = string
  description = "Digest the registry stored the image under (`sha256:<64 hex>`), as `nx run udp-server:docker` records it. Becomes image.digest: the pods run exactly these bytes, and the tag still names the commit. null: pulled by tag."
  default     = null

  validation {
    condition     = var.image_digest == null || can(regex("^sha256:[0-9a-f]{64}$", coalesce(var.image_digest, "x")))
    error_message = "image_digest must be null or sha256: followed by 64 lowercase hexadecimal characters."
  }
}

################################################################################
# Sizing
################################################################################

variable "sizing" {
  type = object({
    # Pod count without an autoscaler. Becomes replicaCount.
    replicas = optional(number)
    # The HorizontalPodAutoscaler's bounds and CPU target. Becomes autoscaling.
    autoscaling = optional(object({
      enabled                           = optional(bool)
      min_replicas                      = optional(number)
      max_replicas                      = optional(number)
      target_cpu_utilization_percentage = optional(number)
    }))
    # Container requests and limits, Kubernetes quantities. Becomes resources.
    resources = optional(object({
      requests = object({ cpu = string, memory = string })
      limits   = object({ cpu = string, memory = string })
    }))
    # Exactly one of min_available and max_unavailable, "N" pods or "P%". Becomes podDisruptionBudget.
    pod_disruption_budget = optional(object({
      enabled         = optional(bool, true)
      min_available   = optional(string)
      max_unavailable = optional(string)
    }))
    # ClusterIP, NodePort or LoadBalancer. Becomes service.type.
    service_type = optional(string)
    # Lowest level the server logs (LOG_LEVEL). Becomes server.logLevel.
    log_level = optional(string)
  })
  description = "What an environment runs: pod count or autoscaler bounds, resources, disruption budget, how the Service is exposed, log level. Each attribute left out (null) sends nothing, so the chart's own default applies; the chart's values.schema.json checks each value sent, at plan time."
  default     = {}
  nullable    = false

  validation {
    condition     = try(var.sizing.replicas == floor(var.sizing.replicas) && var.sizing.replicas >= 1 && var.sizing.replicas <= 1000, var.sizing.replicas == null)
    error_message = "sizing.replicas must be a whole number from 1 to 1000."
  }

  validation {
    condition = alltrue([
      for n in [try(var.sizing.autoscaling.min_replicas, null), try(var.sizing.autoscaling.max_replicas, null)] :
      try(n == floor(n) && n >= 1 && n <= 1000, n == null)
    ])
    error_message = "sizing.autoscaling.min_replicas and max_replicas must be whole numbers from 1 to 1000."
  }

  validation {
    # Both set: a pair that only meets the chart's defaults is the chart's business.
    condition     = try(var.sizing.autoscaling.max_replicas >= var.sizing.autoscaling.min_replicas, true)
    error_message = "sizing.autoscaling.max_replicas must be at least min_replicas."
  }

  validation {
    condition     = try(var.sizing.autoscaling.target_cpu_utilization_percentage == floor(var.sizing.autoscaling.target_cpu_utilization_percentage) && var.sizing.autoscaling.target_cpu_utilization_percentage >= 1 && var.sizing.autoscaling.target_cpu_utilization_percentage <= 1000, try(var.sizing.autoscaling.target_cpu_utilization_percentage, null) == null)
    error_message = "sizing.autoscaling.target_cpu_utilization_percentage must be a whole number from 1 to 1000 (above 100 means above the CPU request, up to the limit)."
  }

  validation {
    condition = try(alltrue([
      for q in [var.sizing.resources.requests.cpu, var.sizing.resources.limits.cpu] :
      can(regex("^([0-9]+m|[0-9]+(\\.[0-9]{1,3})?)$", q)) && try(tonumber(trimsuffix(q, "m")) > 0, false)
    ]), var.sizing.resources == null)
    error_message = "sizing.resources requests.cpu and limits.cpu must be non-zero CPU quantities such as 250m, 1 or 1.5."
  }

  validation {
    condition = try(alltrue([
      for q in [var.sizing.resources.requests.memory, var.sizing.resources.limits.memory] :
      can(regex("^[1-9][0-9]*(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$", q))
    ]), var.sizing.resources == null)
    error_message = "sizing.resources requests.memory and limits.memory must be memory quantities such as 256Mi, 1Gi or 500M."
  }

  validation {
    # Compared in bytes; an unparsable quantity passes here (the format rule above reports it).
    condition = try(
      tonumber(regex("^[0-9.]+", var.sizing.resources.limits.memory)) * lookup({ "" = 1, k = 1e3, M = 1e6, G = 1e9, T = 1e12, Ki = 1024, Mi = 1048576, Gi = 1073741824, Ti = 1099511627776 }, replace(var.sizing.resources.limits.memory, "/^[0-9.]+/", ""), 0)
      >= tonumber(regex("^[0-9.]+", var.sizing.resources.requests.memory)) * lookup({ "" = 1, k = 1e3, M = 1e6, G = 1e9, T = 1e12, Ki = 1024, Mi = 1048576, Gi = 1073741824, Ti = 1099511627776 }, replace(var.sizing.resources.requests.memory, "/^[0-9.]+/", ""), 0),
      true
    )
    error_message = "sizing.resources.limits.memory must be at least requests.memory: Kubernetes rejects such a pod, and the rollout would only fail at its timeout."
  }

  validation {
    # Compared in millicores; an unparsable quantity passes here (the format rule above reports it).
    condition = try(
      (endswith(var.sizing.resources.limits.cpu, "m") ? tonumber(trimsuffix(var.sizing.resources.limits.cpu, "m")) : tonumber(var.sizing.resources.limits.cpu) * 1000)
      >= (endswith(var.sizing.resources.requests.cpu, "m") ? tonumber(trimsuffix(var.sizing.resources.requests.cpu, "m")) : tonumber(var.sizing.resources.requests.cpu) * 1000),
      true
    )
    error_message = "sizing.resources.limits.cpu must be at least requests.cpu: Kubernetes rejects such a pod."
  }

  validation {
    condition = try(alltrue([
      for v in [var.sizing.pod_disruption_budget.min_available, var.sizing.pod_disruption_budget.max_unavailable] :
      v == null || can(regex("^([0-9]+|([0-9]|[1-9][0-9]|100)%)$", coalesce(v, "x")))
    ]), var.sizing.pod_disruption_budget == null)
    error_message = "sizing.pod_disruption_budget min_available and max_unavailable must be a whole pod count such as \"1\" or a percentage from 0% to 100% such as \"50%\"."
  }

  validation {
    condition     = try(!var.sizing.pod_disruption_budget.enabled || ((var.sizing.pod_disruption_budget.min_available == null) != (var.sizing.pod_disruption_budget.max_unavailable == null)), var.sizing.pod_disruption_budget == null)
    error_message = "sizing.pod_disruption_budget: set exactly one of min_available and max_unavailable when enabled (the chart refuses both or neither)."
  }

  validation {
    condition     = try(!var.sizing.pod_disruption_budget.enabled || !contains(["0", "0%"], coalesce(var.sizing.pod_disruption_budget.max_unavailable, "unset")), var.sizing.pod_disruption_budget == null)
    error_message = "sizing.pod_disruption_budget.max_unavailable must not be 0: it blocks every voluntary eviction, so node drains and cluster upgrades hang."
  }

  validation {
    # With min_available set, the fewest pods that can run must leave at least one evictable: the autoscaler's
    # floor when it is on, else replicas. A percentage rounds up, as Kubernetes rounds it. Unknown pod counts (the
    # chart's defaults) are not checked here.
    condition = try(
      !var.sizing.pod_disruption_budget.enabled || var.sizing.pod_disruption_budget.min_available == null || (
        endswith(var.sizing.pod_disruption_budget.min_available, "%")
        ? ceil((coalesce(try(var.sizing.autoscaling.enabled, null), true) ? var.sizing.autoscaling.min_replicas : var.sizing.replicas) * tonumber(trimsuffix(var.sizing.pod_disruption_budget.min_available, "%")) / 100) < (coalesce(try(var.sizing.autoscaling.enabled, null), true) ? var.sizing.autoscaling.min_replicas : var.sizing.replicas)
        : tonumber(var.sizing.pod_disruption_budget.min_available) < (coalesce(try(var.sizing.autoscaling.enabled, null), true) ? var.sizing.autoscaling.min_replicas : var.sizing.replicas)
      ),
      true
    )
    error_message = "sizing.pod_disruption_budget.min_available must leave at least one pod evictable at the lowest pod count (the autoscaler's min_replicas, or replicas), or node drains hang."
  }
}

################################################################################
# Release timing
################################################################################

variable "timing" {
  type = object({
    # Seconds the server keeps answering after SIGTERM (DRAIN_SECONDS). Becomes server.drainSeconds and sizes
    # terminationGracePeriodSeconds. null: the chart's default drain and grace period, not sent.
    drain_seconds = optional(number)
    # Seconds from the end of the drain to the kubelet's SIGKILL, for the server to close and flush its logs.
    drain_margin_seconds = optional(number, 5)
    # Seconds a rollout may take to bring every new pod to Ready, before the grace period is added.
    rollout_timeout_seconds = optional(number, 300)
  })
  description = "How long a pod drains and a rollout may take. terminationGracePeriodSeconds = ceil(drain_seconds) + drain_margin_seconds; Helm's wait = rollout_timeout_seconds + that grace period; Terraform's deadline = two waits + 60 s."
  default     = {}
  nullable    = false

  validation {
    condition     = var.timing.drain_margin_seconds == floor(var.timing.drain_margin_seconds) && var.timing.drain_margin_seconds >= 2 && var.timing.drain_margin_seconds <= 300
    error_message = "timing.drain_margin_seconds must be a whole number from 2 to 300 (the chart refuses a grace period shorter than ceil(drain_seconds) + 2)."
  }

  validation {
    condition     = var.timing.rollout_timeout_seconds == floor(var.timing.rollout_timeout_seconds) && var.timing.rollout_timeout_seconds >= 60 && var.timing.rollout_timeout_seconds <= 3600
    error_message = "timing.rollout_timeout_seconds must be a whole number from 60 to 3600."
  }
}
