// A calibration target for `bench --calibrate`, not a baseline: a UDP echo in C that moves up to 64 datagrams
// per system call (recvmmsg/sendmmsg), so it costs far less CPU per reply than any Node process. Whatever
// rate the generator reaches against it is the generator's own ceiling on this machine.
// Listens on 127.0.0.1:$UDP_PORT; exits 0 on SIGTERM or SIGINT.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 64
#define MAX_DATAGRAM 2048

static volatile sig_atomic_t stopping = 0;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

int main(void) {
  const char *port_text = getenv("UDP_PORT");
  int port = port_text == NULL ? 0 : atoi(port_text);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
    perror("mmsg-echo: bind");
    return 1;
  }
  // No SA_RESTART: a signal interrupts recvmmsg, and the loop sees `stopping`.
  struct sigaction action = {.sa_handler = on_signal};
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);

  static char buffers[BATCH][MAX_DATAGRAM];
  static struct mmsghdr messages[BATCH];
  static struct iovec iovecs[BATCH];
  static struct sockaddr_in peers[BATCH];
  while (!stopping) {
    for (int i = 0; i < BATCH; i++) {
      iovecs[i] = (struct iovec){.iov_base = buffers[i], .iov_len = MAX_DATAGRAM};
      memset(&messages[i], 0, sizeof messages[i]);
      messages[i].msg_hdr.msg_iov = &iovecs[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_name = &peers[i];
      messages[i].msg_hdr.msg_namelen = sizeof peers[i];
    }
    int received = recvmmsg(fd, messages, BATCH, MSG_WAITFORONE, NULL);
    if (received < 0) {
      if (errno == EINTR) continue;
      perror("mmsg-echo: recvmmsg");
      return 1;
    }
    for (int i = 0; i < received; i++) iovecs[i].iov_len = messages[i].msg_len;
    for (int sent = 0; sent < received;) {
      int n = sendmmsg(fd, messages + sent, (unsigned)(received - sent), 0);
      if (n < 0) break; // a full socket buffer drops the rest, as UDP may
      sent += n;
    }
  }
  return 0;
}
