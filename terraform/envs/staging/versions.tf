terraform {
  # Exact pins: every plan of this environment runs the same Terraform and the same provider build. The
  # provider's checksums belong in a .terraform.lock.hcl beside this file, generated against the real registry
  # (terraform/README.md, "Lock files").
  required_version = "1.11.4"

  required_providers {
    helm = {
      source  = "hashicorp/helm"
      version = "3.2.0"
    }
  }
}
