# The values each env root (terraform/envs/<environment>) deploys, computed from the same settings.yaml it reads,
# without the Helm provider: so that the sizing deployed is the sizing tested. A new environment is picked up here
# as soon as its settings.yaml exists.
locals {
  envs = "${path.module}/../../../../envs"
  settings = {
    for file in fileset(local.envs, "*/settings.yaml") : dirname(file) => yamldecode(file("${local.envs}/${file}"))
  }
}

module "udp_server_values" {
  source   = "../../"
  for_each = local.settings

  image_repository = "ghcr.io/ricochet/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"
  image_digest     = "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"
  sizing           = each.value.sizing
  timing           = each.value.timing
}
