# modules/udp-server (a release that also re-declared every input of the values module) became two modules called
# side by side: udp-server-values and udp-server-release.
moved {
  from = module.udp_server.helm_release.this
  to   = module.release.helm_release.this
}
