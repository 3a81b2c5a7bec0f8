# State of this environment. Local by default: terraform.tfstate beside this file (git-ignored), which suits one
# operator deploying from one machine. The deploy tool reads staging's outputs from whichever backend is set.
#
# For a team, or CI, keep the state remotely with locking: replace the block below with one of these and run
# `terraform init -migrate-state` once. Credentials come from the environment, never from this file.
#
#   backend "s3" {
#     bucket       = "ricochet-terraform-state"
#     key          = "udp-server/production.tfstate"
#     region       = "eu-west-1"
#     encrypt      = true
#     use_lockfile = true # S3-native locking (Terraform 1.10+), no DynamoDB table needed
#   }
#
#   backend "kubernetes" {
#     secret_suffix = "udp-server-production" # state in Secret tfstate-default-udp-server-production, locked by a Lease
#     namespace     = "terraform-state"
#     config_path   = "~/.kube/config"
#   }

terraform {
  backend "local" {
    path = "terraform.tfstate"
  }
}
