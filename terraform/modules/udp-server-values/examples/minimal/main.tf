# Only the image: every other setting takes the module's defaults, which restate the chart's.
module "udp_server_values" {
  source = "../../"

  image_repository = "ghcr.io/example/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"
}
