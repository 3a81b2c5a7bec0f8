terraform {
  required_version = ">= 1.9"

  required_providers {
    helm = {
      source = "hashicorp/helm"
      # 3.0: nested attributes (kubernetes = {...}, set = [...]) and metadata as a single object;
      # 3.1: the timeouts attribute on helm_release. The env roots pin an exact version.
      version = ">= 3.1"
    }
  }
}
