// Batched UDP socket I/O for Node.js: one non-blocking socket, waited on in libuv (uv_poll), read with recvmmsg
// and written with sendmmsg, straight into and out of memory shared with JavaScript (ArrayBuffers the caller
// creates once). The native side does I/O only: every datagram of a batch is judged and answered in JavaScript,
// which writes its replies where the requests were and hands back a list of (slot, length) to send.
//
// Linux only (recvmmsg/sendmmsg). Node-API 8, so the same binary loads in every Node >= 12.22 of its platform.
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// The meta record of each slot, in 32-bit words; src/layout.ts holds the same numbers.
enum {
  META_LENGTH = 0,  // the datagram's whole length, even when longer than the slot (MSG_TRUNC)
  META_PORT = 1,
  META_FAMILY = 2,  // 4 or 6
  META_ADDRESS = 3, // four words, most significant first; IPv4 as ::ffff:a.b.c.d
  META_WORDS = 8,
};

// Batches read per wake-up before libuv gets the loop back for timers and other sockets. The poll is
// level-triggered: whatever is left wakes it again on the next turn.
#define MAX_BATCHES_PER_WAKEUP 16

typedef struct {
  napi_env env;
  napi_ref self;       // strong while the poll handle is open: the socket lives as long as it can deliver
  napi_ref on_batch;   // (count) => replies written to the send list
  napi_ref on_error;   // (errno, syscall, count) => void
  napi_ref memory[3];  // the three ArrayBuffers, kept alive as long as the socket
  napi_async_context async_context;
  napi_async_cleanup_hook_handle cleanup;
  uv_poll_t poll;
  int fd;
  int family;
  int polling;         // uv_poll_init ran and uv_close has not completed
  int closed;          // close() or teardown: deliver nothing more
  int finalized;       // the JS object is gone: free once the poll handle has closed
  uint32_t batch;
  uint32_t slot_bytes;
  uint8_t *data;
  uint32_t *meta;
  uint32_t *send_list;
  struct mmsghdr *recv_msgs;
  struct iovec *recv_iov;
  struct sockaddr_storage *peers;
  struct mmsghdr *send_msgs;
  struct iovec *send_iov;
  int *error_numbers;  // per batch: the errno of each failed send, reported after the batch
} batched_socket;

#define CHECK_NAPI(env, call)                                                                                  \
  do {                                                                                                         \
    if ((call) != napi_ok) {                                                                                   \
      napi_throw_error((env), NULL, "batched-udp: internal Node-API call failed: " #call);                    \
      return NULL;                                                                                             \
    }                                                                                                          \
  } while (0)

static napi_value throw_errno(napi_env env, int error_number, const char *syscall) {
  char text[160];
  snprintf(text, sizeof text, "%s failed: %s", syscall, strerror(error_number));
  napi_value message, error, number, name;
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &error);
  napi_create_int32(env, error_number, &number);
  napi_set_named_property(env, error, "errno", number);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &name);
  napi_set_named_property(env, error, "syscall", name);
  napi_throw(env, error);
  return NULL;
}

static void free_socket(batched_socket *s) {
  free(s->recv_msgs);
  free(s->recv_iov);
  free(s->peers);
  free(s->send_msgs);
  free(s->send_iov);
  free(s->error_numbers);
  free(s);
}

/** Runs a JS function of the socket as libuv's callbacks must: in a callback scope that drains the microtasks. */
static int call_js(batched_socket *s, napi_ref function, size_t argc, napi_value *argv, napi_value *result) {
  napi_value self, fn;
  if (napi_get_reference_value(s->env, s->self, &self) != napi_ok ||
      napi_get_reference_value(s->env, function, &fn) != napi_ok) {
    return 0;
  }
  napi_status status = napi_make_callback(s->env, s->async_context, self, fn, argc, argv, result);
  if (status == napi_pending_exception) {
    // The wrapper never throws; if it did, this is the same as an exception in any other event callback.
    napi_value exception;
    napi_get_and_clear_last_exception(s->env, &exception);
    napi_fatal_exception(s->env, exception);
  }
  return status == napi_ok;
}

static void report_error(batched_socket *s, int error_number, const char *syscall, uint32_t count) {
  napi_value argv[3], ignored;
  napi_create_int32(s->env, error_number, &argv[0]);
  napi_create_string_utf8(s->env, syscall, NAPI_AUTO_LENGTH, &argv[1]);
  napi_create_uint32(s->env, count, &argv[2]);
  call_js(s, s->on_error, 3, argv, &ignored);
}

/** Fills slot i's meta record from what recvmmsg wrote. */
static void describe_slot(batched_socket *s, uint32_t i) {
  uint32_t *m = s->meta + (size_t)i * META_WORDS;
  const struct sockaddr_storage *peer = &s->peers[i];
  m[META_LENGTH] = s->recv_msgs[i].msg_len;
  if (peer->ss_family == AF_INET) {
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)peer;
    m[META_PORT] = ntohs(v4->sin_port);
    m[META_FAMILY] = 4;
    m[META_ADDRESS] = 0;
    m[META_ADDRESS + 1] = 0;
    m[META_ADDRESS + 2] = 0xffff;
    m[META_ADDRESS + 3] = ntohl(v4->sin_addr.s_addr);
  } else {
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)peer;
    m[META_PORT] = ntohs(v6->sin6_port);
    m[META_FAMILY] = 6;
    for (int w = 0; w < 4; w++) {
      uint32_t word;
      memcpy(&word, v6->sin6_addr.s6_addr + 4 * w, sizeof word);
      m[META_ADDRESS + w] = ntohl(word);
    }
  }
}

/** Sends the replies JS listed, each from its request's slot to that request's source. */
static void send_replies(batched_socket *s, uint32_t replies, uint32_t received) {
  uint32_t count = 0, invalid = 0;
  for (uint32_t k = 0; k < replies && k < s->batch; k++) {
    uint32_t slot = s->send_list[2 * k];
    uint32_t length = s->send_list[2 * k + 1];
    if (slot >= received || length > s->slot_bytes) {
      invalid++;
      continue;
    }
    s->send_iov[count].iov_base = s->data + (size_t)slot * s->slot_bytes;
    s->send_iov[count].iov_len = length;
    struct msghdr *h = &s->send_msgs[count].msg_hdr;
    h->msg_name = &s->peers[slot];
    h->msg_namelen = s->recv_msgs[slot].msg_hdr.msg_namelen;
    h->msg_iov = &s->send_iov[count];
    h->msg_iovlen = 1;
    h->msg_control = NULL;
    h->msg_controllen = 0;
    h->msg_flags = 0;
    count++;
  }
  uint32_t failed = 0;
  for (uint32_t sent = 0; sent < count;) {
    int n = sendmmsg(s->fd, s->send_msgs + sent, count - sent, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      // The first datagram left failed: count it and go on with the rest, as a datagram socket would.
      s->error_numbers[failed++] = errno;
      sent++;
      continue;
    }
    sent += (uint32_t)n;
  }
  if (invalid > 0) report_error(s, EINVAL, "sendmmsg", invalid);
  // Runs of the same errno are reported as one call.
  for (uint32_t i = 0; i < failed;) {
    uint32_t j = i + 1;
    while (j < failed && s->error_numbers[j] == s->error_numbers[i]) j++;
    report_error(s, s->error_numbers[i], "sendmmsg", j - i);
    i = j;
  }
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  (void)events;
  batched_socket *s = handle->data;
  if (s->closed) return;
  napi_handle_scope scope;
  if (napi_open_handle_scope(s->env, &scope) != napi_ok) return;
  if (status < 0) {
    report_error(s, -status, "uv_poll", 1);
    napi_close_handle_scope(s->env, scope);
    return;
  }
  for (int round = 0; round < MAX_BATCHES_PER_WAKEUP && !s->closed; round++) {
    for (uint32_t i = 0; i < s->batch; i++) s->recv_msgs[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
    int n = recvmmsg(s->fd, s->recv_msgs, s->batch, MSG_DONTWAIT | MSG_TRUNC, NULL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) report_error(s, errno, "recvmmsg", 1);
      break;
    }
    if (n == 0) break;
    for (uint32_t i = 0; i < (uint32_t)n; i++) describe_slot(s, i);
    napi_value argv[1], result;
    uint32_t replies = 0;
    napi_create_uint32(s->env, (uint32_t)n, &argv[0]);
    if (!call_js(s, s->on_batch, 1, argv, &result)) break;
    napi_get_value_uint32(s->env, result, &replies);
    if (s->closed) break;
    if (replies > 0) send_replies(s, replies, (uint32_t)n);
    // A short batch emptied the queue: wait for the next wake-up rather than ask again.
    if ((uint32_t)n < s->batch) break;
  }
  napi_close_handle_scope(s->env, scope);
}

static void on_poll_closed(uv_handle_t *handle) {
  batched_socket *s = handle->data;
  s->polling = 0;
  if (s->cleanup != NULL) {
    napi_remove_async_cleanup_hook(s->cleanup);
    s->cleanup = NULL;
  }
  if (s->finalized) {
    free_socket(s);
    return;
  }
  // No more deliveries: the JS object may now be collected like any other.
  uint32_t count;
  napi_reference_unref(s->env, s->self, &count);
}

/** Stops delivering and closes the socket; the memory is freed once the poll handle has closed. */
static void close_socket(batched_socket *s) {
  if (s->closed) return;
  s->closed = 1;
  if (s->polling) {
    uv_poll_stop(&s->poll);
    uv_close((uv_handle_t *)&s->poll, on_poll_closed);
  }
  if (s->fd >= 0) {
    close(s->fd);
    s->fd = -1;
  }
}

/** Environment teardown (a worker thread ending) with the socket still open: close it, and let Node wait. */
static void on_env_cleanup(napi_async_cleanup_hook_handle handle, void *arg) {
  batched_socket *s = arg;
  s->cleanup = handle;
  close_socket(s);
  // Still polling: on_poll_closed removes the hook once libuv has let go of the handle.
  if (!s->polling) {
    napi_remove_async_cleanup_hook(handle);
    s->cleanup = NULL;
  }
}

static void finalize_socket(napi_env env, void *data, void *hint) {
  (void)hint;
  batched_socket *s = data;
  for (int i = 0; i < 3; i++) napi_delete_reference(env, s->memory[i]);
  napi_delete_reference(env, s->on_batch);
  napi_delete_reference(env, s->on_error);
  napi_delete_reference(env, s->self);
  s->self = NULL;
  napi_async_destroy(env, s->async_context);
  close_socket(s);
  if (s->polling) {
    s->finalized = 1;  // on_poll_closed frees it
    return;
  }
  free_socket(s);
}

static batched_socket *unwrap(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_value self;
  void *data = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok || napi_unwrap(env, self, &data) != napi_ok) {
    napi_throw_error(env, NULL, "batched-udp: not a BatchedSocket");
    return NULL;
  }
  batched_socket *s = data;
  if (s->closed) {
    napi_throw_error(env, "ERR_SOCKET_DGRAM_NOT_RUNNING", "batched-udp: the socket is closed");
    return NULL;
  }
  return s;
}

static void *arraybuffer_data(napi_env env, napi_value value, size_t at_least) {
  bool is_buffer = false;
  void *data = NULL;
  size_t length = 0;
  if (napi_is_arraybuffer(env, value, &is_buffer) != napi_ok || !is_buffer ||
      napi_get_arraybuffer_info(env, value, &data, &length) != napi_ok || length < at_least) {
    return NULL;
  }
  return data;
}

// new BatchedSocket(family, recvData, meta, sendList, batch, slotBytes, onBatch, onError)
static napi_value construct(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8], self;
  CHECK_NAPI(env, napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  int32_t family = 0;
  uint32_t batch = 0, slot_bytes = 0;
  napi_valuetype on_batch_type = napi_undefined, on_error_type = napi_undefined;
  if (argc < 8 || napi_get_value_int32(env, argv[0], &family) != napi_ok ||
      napi_get_value_uint32(env, argv[4], &batch) != napi_ok ||
      napi_get_value_uint32(env, argv[5], &slot_bytes) != napi_ok ||
      napi_typeof(env, argv[6], &on_batch_type) != napi_ok || napi_typeof(env, argv[7], &on_error_type) != napi_ok ||
      (family != 4 && family != 6) || batch == 0 || batch > 1024 || slot_bytes == 0 || slot_bytes > 65536 ||
      on_batch_type != napi_function || on_error_type != napi_function) {
    napi_throw_type_error(env, NULL, "batched-udp: BatchedSocket(family, recvData, meta, sendList, batch, slotBytes, onBatch, onError)");
    return NULL;
  }
  uint8_t *data = arraybuffer_data(env, argv[1], (size_t)batch * slot_bytes);
  uint32_t *meta = arraybuffer_data(env, argv[2], (size_t)batch * META_WORDS * sizeof(uint32_t));
  uint32_t *send_list = arraybuffer_data(env, argv[3], (size_t)batch * 2 * sizeof(uint32_t));
  if (data == NULL || meta == NULL || send_list == NULL) {
    napi_throw_range_error(env, NULL, "batched-udp: recvData, meta and sendList must be ArrayBuffers of batch × (slotBytes, 32, 8) bytes");
    return NULL;
  }

  batched_socket *s = calloc(1, sizeof *s);
  if (s == NULL) return throw_errno(env, ENOMEM, "calloc");
  s->env = env;
  s->fd = -1;
  s->family = family == 6 ? AF_INET6 : AF_INET;
  s->batch = batch;
  s->slot_bytes = slot_bytes;
  s->data = data;
  s->meta = meta;
  s->send_list = send_list;
  s->recv_msgs = calloc(batch, sizeof *s->recv_msgs);
  s->recv_iov = calloc(batch, sizeof *s->recv_iov);
  s->peers = calloc(batch, sizeof *s->peers);
  s->send_msgs = calloc(batch, sizeof *s->send_msgs);
  s->send_iov = calloc(batch, sizeof *s->send_iov);
  s->error_numbers = calloc(batch, sizeof *s->error_numbers);
  if (!s->recv_msgs || !s->recv_iov || !s->peers || !s->send_msgs || !s->send_iov || !s->error_numbers) {
    free_socket(s);
    return throw_errno(env, ENOMEM, "calloc");
  }
  for (uint32_t i = 0; i < batch; i++) {
    s->recv_iov[i].iov_base = data + (size_t)i * slot_bytes;
    s->recv_iov[i].iov_len = slot_bytes;
    s->recv_msgs[i].msg_hdr.msg_iov = &s->recv_iov[i];
    s->recv_msgs[i].msg_hdr.msg_iovlen = 1;
    s->recv_msgs[i].msg_hdr.msg_name = &s->peers[i];
  }
  napi_value resource_name;
  if (napi_create_reference(env, argv[1], 1, &s->memory[0]) != napi_ok ||
      napi_create_reference(env, argv[2], 1, &s->memory[1]) != napi_ok ||
      napi_create_reference(env, argv[3], 1, &s->memory[2]) != napi_ok ||
      napi_create_reference(env, argv[6], 1, &s->on_batch) != napi_ok ||
      napi_create_reference(env, argv[7], 1, &s->on_error) != napi_ok ||
      napi_create_string_utf8(env, "BatchedUdpSocket", NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_async_init(env, self, resource_name, &s->async_context) != napi_ok ||
      napi_wrap(env, self, s, finalize_socket, NULL, NULL) != napi_ok ||
      napi_create_reference(env, self, 0, &s->self) != napi_ok) {
    napi_throw_error(env, NULL, "batched-udp: could not set up the socket object");
    return NULL;
  }
  return self;
}

// bind(address, port, reusePort) → the bound port
static napi_value bind_socket(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  batched_socket *s = unwrap(env, info, &argc, argv);
  if (s == NULL) return NULL;
  char address[INET6_ADDRSTRLEN + 1];
  size_t address_length = 0;
  uint32_t port = 0;
  bool reuse_port = false;
  if (argc < 3 || napi_get_value_string_utf8(env, argv[0], address, sizeof address, &address_length) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &port) != napi_ok || napi_get_value_bool(env, argv[2], &reuse_port) != napi_ok ||
      port > 65535) {
    napi_throw_type_error(env, NULL, "batched-udp: bind(address, port, reusePort)");
    return NULL;
  }
  if (s->fd >= 0) {
    napi_throw_error(env, "ERR_SOCKET_ALREADY_BOUND", "batched-udp: the socket is already bound");
    return NULL;
  }
  struct sockaddr_storage local;
  socklen_t local_length;
  memset(&local, 0, sizeof local);
  if (s->family == AF_INET) {
    struct sockaddr_in *v4 = (struct sockaddr_in *)&local;
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, address, &v4->sin_addr) != 1) return throw_errno(env, EINVAL, "inet_pton");
    local_length = sizeof *v4;
  } else {
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&local;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, address, &v6->sin6_addr) != 1) return throw_errno(env, EINVAL, "inet_pton");
    local_length = sizeof *v6;
  }
  int fd = socket(s->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket");
  int on = 1;
  if (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0) {
    int error_number = errno;
    close(fd);
    return throw_errno(env, error_number, "setsockopt(SO_REUSEPORT)");
  }
  if (bind(fd, (struct sockaddr *)&local, local_length) < 0) {
    int error_number = errno;
    close(fd);
    return throw_errno(env, error_number, "bind");
  }
  s->fd = fd;
  struct sockaddr_storage bound;
  socklen_t bound_length = sizeof bound;
  if (getsockname(fd, (struct sockaddr *)&bound, &bound_length) < 0) return throw_errno(env, errno, "getsockname");
  uint16_t bound_port = s->family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
                                             : ((struct sockaddr_in6 *)&bound)->sin6_port;
  napi_value result;
  CHECK_NAPI(env, napi_create_uint32(env, ntohs(bound_port), &result));
  return result;
}

static napi_value buffer_size(napi_env env, napi_callback_info info, int set) {
  size_t argc = 1;
  napi_value argv[1];
  batched_socket *s = unwrap(env, info, &argc, argv);
  if (s == NULL) return NULL;
  if (s->fd < 0) return throw_errno(env, EBADF, "getsockopt(SO_RCVBUF)");
  if (set) {
    int32_t bytes = 0;
    if (argc < 1 || napi_get_value_int32(env, argv[0], &bytes) != napi_ok || bytes <= 0) {
      napi_throw_type_error(env, NULL, "batched-udp: setRecvBufferSize(bytes)");
      return NULL;
    }
    if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) < 0) {
      return throw_errno(env, errno, "setsockopt(SO_RCVBUF)");
    }
  }
  int granted = 0;
  socklen_t length = sizeof granted;
  if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &granted, &length) < 0) {
    return throw_errno(env, errno, "getsockopt(SO_RCVBUF)");
  }
  napi_value result;
  CHECK_NAPI(env, napi_create_int32(env, granted, &result));
  return result;
}

static napi_value set_recv_buffer_size(napi_env env, napi_callback_info info) { return buffer_size(env, info, 1); }
static napi_value get_recv_buffer_size(napi_env env, napi_callback_info info) { return buffer_size(env, info, 0); }

static napi_value format_address(napi_env env, const struct sockaddr_storage *address) {
  char text[INET6_ADDRSTRLEN];
  const void *bytes = address->ss_family == AF_INET ? (const void *)&((const struct sockaddr_in *)address)->sin_addr
                                                    : (const void *)&((const struct sockaddr_in6 *)address)->sin6_addr;
  if (inet_ntop(address->ss_family, bytes, text, sizeof text) == NULL) return throw_errno(env, errno, "inet_ntop");
  napi_value result;
  CHECK_NAPI(env, napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result));
  return result;
}

// peerAddress(slot): the source address of the slot's datagram as text, for logs and tests (valid until the next batch).
static napi_value peer_address(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  batched_socket *s = unwrap(env, info, &argc, argv);
  if (s == NULL) return NULL;
  uint32_t slot = 0;
  if (argc < 1 || napi_get_value_uint32(env, argv[0], &slot) != napi_ok || slot >= s->batch) {
    napi_throw_range_error(env, NULL, "batched-udp: peerAddress(slot) with slot < batch");
    return NULL;
  }
  return format_address(env, &s->peers[slot]);
}

// localAddress() → the bound address as text
static napi_value local_address(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  batched_socket *s = unwrap(env, info, &argc, NULL);
  if (s == NULL) return NULL;
  struct sockaddr_storage bound;
  socklen_t length = sizeof bound;
  if (s->fd < 0 || getsockname(s->fd, (struct sockaddr *)&bound, &length) < 0) {
    return throw_errno(env, s->fd < 0 ? EBADF : errno, "getsockname");
  }
  return format_address(env, &bound);
}

static napi_value start(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  batched_socket *s = unwrap(env, info, &argc, NULL);
  if (s == NULL) return NULL;
  if (s->fd < 0) return throw_errno(env, EBADF, "start");
  if (s->polling) return NULL;
  uv_loop_t *loop;
  CHECK_NAPI(env, napi_get_uv_event_loop(env, &loop));
  int status = uv_poll_init(loop, &s->poll, s->fd);
  if (status < 0) return throw_errno(env, -status, "uv_poll_init");
  s->poll.data = s;
  s->polling = 1;
  // Held until the poll handle has closed (on_poll_closed), like a libuv handle keeps its JS wrapper.
  uint32_t count;
  CHECK_NAPI(env, napi_reference_ref(env, s->self, &count));
  CHECK_NAPI(env, napi_add_async_cleanup_hook(env, on_env_cleanup, s, &s->cleanup));
  status = uv_poll_start(&s->poll, UV_READABLE, on_readable);
  if (status < 0) {
    close_socket(s);
    return throw_errno(env, -status, "uv_poll_start");
  }
  return NULL;
}

static napi_value close_method(napi_env env, napi_callback_info info) {
  napi_value self;
  void *data = NULL;
  CHECK_NAPI(env, napi_get_cb_info(env, info, NULL, NULL, &self, NULL));
  CHECK_NAPI(env, napi_unwrap(env, self, &data));
  close_socket(data);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor methods[] = {
      {"bind", NULL, bind_socket, NULL, NULL, NULL, napi_default, NULL},
      {"setRecvBufferSize", NULL, set_recv_buffer_size, NULL, NULL, NULL, napi_default, NULL},
      {"getRecvBufferSize", NULL, get_recv_buffer_size, NULL, NULL, NULL, napi_default, NULL},
      {"localAddress", NULL, local_address, NULL, NULL, NULL, napi_default, NULL},
      {"peerAddress", NULL, peer_address, NULL, NULL, NULL, napi_default, NULL},
      {"start", NULL, start, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_method, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value constructor, meta_words;
  if (napi_define_class(env, "BatchedSocket", NAPI_AUTO_LENGTH, construct, NULL, sizeof methods / sizeof methods[0],
                        methods, &constructor) != napi_ok ||
      napi_set_named_property(env, exports, "BatchedSocket", constructor) != napi_ok ||
      napi_create_uint32(env, META_WORDS, &meta_words) != napi_ok ||
      napi_set_named_property(env, exports, "META_WORDS", meta_words) != napi_ok) {
    return NULL;
  }
  return exports;
}
