terraform {
  # Exact pins: every plan of this environment runs the same Terraform and the same provider build. The
  # provider's checksums go in .terraform.lock.hcl, committed beside this file (see terraform/README.md).
  required_version = "1.11.4"

  required_providers {
    helm = {
      source  = "hashicorp/helm"
      version = "3.1.1"
    }
  }
}
