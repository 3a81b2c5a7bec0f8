terraform {
  # 1.9: validation conditions may refer to other variables (min <= max replicas, budget vs replicas).
  required_version = ">= 1.9"

  # No providers, on purpose: `terraform init -backend=false`, `validate` and `test` run offline, so every decision
  # about the chart's values is proven here. The provider-bound release lives in ../udp-server.
}
