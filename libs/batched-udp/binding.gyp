{
  "targets": [
    {
      "target_name": "batched_udp",
      "sources": ["native/batched_udp.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Werror", "-std=gnu11"]
    }
  ]
}
