# Only the image: nothing else is sent, so every other value is the chart's own default.
module "udp_server_values" {
  source = "../../"

  image_repository = "ghcr.io/example/udp-server"
  image_tag        = "0123456789abcdef0123456789abcdef01234567"
}
