################################################################################
# Environment
################################################################################

variable "environment" {
  type        = string
  description = "Whose sizing to return: staging or production."

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}
