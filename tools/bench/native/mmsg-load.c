// mmsg-load: the bench's load generator in C (`--generator c`, the default). A Node generator pays one
// sendmsg and one recvmsg per request plus libuv and JavaScript around them, about as much CPU per reply as
// the targets it measures, so it can be the limit. This one moves up to BATCH datagrams per system call
// (sendmmsg/recvmmsg) and allocates nothing after start-up, so the targets run out of core first.
//
// --flows connected UDP sockets to 127.0.0.1:--port (default 1), each from its own port: a target with several
// SO_REUSEPORT sockets (WORKERS) gets each flow on one of them, as the kernel hashes it. Requests are Ricochet PINGs: 52 43 01 01, the request id as
// a u32 big-endian, then --payload-bytes of 0x61. A reply must be the same bytes with byte 3 = --reply-type
// (0x81 PONG from the server, 0x01 from an echo); anything else counts as unexpected.
//
//   closed loop (default): --window requests in flight; a reply or a timeout frees a slot, and the slot's next
//     request goes out with the next sendmmsg. Slot i carries ids i, i + window, …, so id % window finds it.
//   open loop (--rate N):  N requests/s on a fixed schedule whatever the replies do; ids are sequence numbers
//     and sit in a power-of-two table twice the size of one timeout period's requests.
//
// In the closed loop the generator waits for replies in a blocking recvmmsg (--wait block, the default), so its
// CPU time is what it needs. On loopback the target's send then also pays for waking it, which costs more
// when its CPU has gone idle (in a VM, an IPI to a halted vCPU). --wait spin polls without blocking instead:
// the target pays no wake-ups, and the generator shows 100% of a core whatever it needs.
//
// A run is a warm-up, a measured window (--duration-ms, or until --max-requests were sent in it), then a wait
// for the window's requests. A request with no reply after --timeout-ms is lost. RTTs come from a send-time
// table (CLOCK_MONOTONIC, read once per system call). At the window's edges it reads its own CPU time
// (getrusage), the target's (/proc/<--target-pid>/stat) and the machine's (/proc/stat), and prints one JSON
// line on stdout. Exit status: 0 after a run, 1 when the socket fails, 64 for a bad command line.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define HEADER_BYTES 8
#define MAX_PAYLOAD_BYTES (1472 - HEADER_BYTES)
#define RECV_BYTES 2048
#define TYPE_OFFSET 3
#define ID_OFFSET 4
#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S INT64_C(1000000000)
/** How often requests are checked against the timeout. */
#define SWEEP_NS (10 * NS_PER_MS)
/** Closed loop: a blocked recvmmsg returns at least this often, to sweep and to end the phases on time. */
#define RECV_TIMEOUT_US 5000
/** Ask for this much socket buffer, so the generator's own queues never drop a reply. */
#define SOCKET_BUFFER_BYTES (4 * 1024 * 1024)
#define EXIT_USAGE 64
#define MAX_FLOWS 64

enum phase { WARMUP, MEASURE, DRAIN, DONE };

struct options {
  int port;
  int window;
  int64_t rate; /* 0: closed loop */
  int payload_bytes;
  int64_t warmup_ms, duration_ms, timeout_ms;
  int64_t max_requests;
  int reply_type;
  long target_pid; /* 0: none */
  int spin;        /* closed loop: poll for replies instead of blocking */
  int flows;       /* connected sockets, each its own source port */
};

struct slot {
  int64_t sent_at;
  uint32_t id;
  uint8_t in_flight;
  uint8_t in_window;
};

/** CPU counters read at one edge of the measured window. -1: not available. */
struct snapshot {
  int64_t wall_ns;
  int64_t self_us;
  int64_t target_ticks;
  int64_t machine_busy_ticks;
  int64_t machine_steal_ticks;
};

static struct options opt = {
    .window = 128,
    .payload_bytes = 56,
    .warmup_ms = 1000,
    .duration_ms = 5000,
    .timeout_ms = 1000,
    .max_requests = 4000000,
    .reply_type = 0x81,
    .flows = 1,
};

static int fds[MAX_FLOWS];
static struct pollfd poll_fds[MAX_FLOWS];
static enum phase phase = WARMUP;
static struct slot *slots;
static uint32_t slot_count;
static float *samples;
static int64_t sample_count;
static int datagram_bytes;
static unsigned char template_datagram[HEADER_BYTES + MAX_PAYLOAD_BYTES];

static int64_t sent, received, answered, lost, unexpected, send_errors, recv_errors, window_in_flight;
static int64_t send_calls, recv_calls;
static struct snapshot window_start, window_end;
static volatile sig_atomic_t stopping = 0;

static unsigned char send_buffers[BATCH][HEADER_BYTES + MAX_PAYLOAD_BYTES];
static struct iovec send_iov[BATCH];
static struct mmsghdr send_msgs[BATCH];
static unsigned char recv_buffers[BATCH][RECV_BYTES];
static struct iovec recv_iov[BATCH];
static struct mmsghdr recv_msgs[BATCH];

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static int64_t self_cpu_us(void) {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) return -1;
  return ((int64_t)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000 + usage.ru_utime.tv_usec +
         usage.ru_stime.tv_usec;
}

/** Reads up to size - 1 bytes of a small /proc file; returns the length, or -1. */
static ssize_t read_small_file(const char *path, char *buf, size_t size) {
  FILE *file = fopen(path, "r");
  if (file == NULL) return -1;
  size_t length = fread(buf, 1, size - 1, file);
  fclose(file);
  buf[length] = '\0';
  return (ssize_t)length;
}

/** utime + stime of a whole process, in clock ticks; -1 when it cannot be read. */
static int64_t process_ticks(long pid) {
  if (pid <= 0) return -1;
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  if (read_small_file(path, buf, sizeof buf) < 0) return -1;
  // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
  const char *rest = strrchr(buf, ')');
  unsigned long long utime, stime;
  if (rest == NULL ||
      sscanf(rest + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
    return -1;
  return (int64_t)(utime + stime);
}

/** Busy (user nice system irq softirq) and steal ticks of the whole machine, from /proc/stat. */
static void machine_ticks(int64_t *busy, int64_t *steal) {
  char buf[512];
  unsigned long long user, nice, system, idle, iowait, irq, softirq, stolen;
  *busy = -1;
  *steal = -1;
  if (read_small_file("/proc/stat", buf, sizeof buf) < 0) return;
  if (sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle, &iowait, &irq,
             &softirq, &stolen) != 8)
    return;
  *busy = (int64_t)(user + nice + system + irq + softirq);
  *steal = (int64_t)stolen;
}

static struct snapshot take_snapshot(void) {
  struct snapshot s;
  s.self_us = self_cpu_us();
  s.target_ticks = process_ticks(opt.target_pid);
  machine_ticks(&s.machine_busy_ticks, &s.machine_steal_ticks);
  s.wall_ns = now_ns();
  return s;
}

static void start_window(void) {
  window_start = take_snapshot();
  phase = MEASURE;
}

static void end_window(void) {
  if (phase != MEASURE) return;
  window_end = take_snapshot();
  phase = DRAIN;
}

/** The slot's request is answered or lost. */
static void settle(struct slot *slot) {
  slot->in_flight = 0;
  if (slot->in_window) window_in_flight--;
}

/** The flow (socket) a request goes out on: a closed-loop lane keeps its flow, open-loop ids take turns. */
static int flow_of(uint32_t id) {
  uint32_t lane = opt.rate > 0 ? id : id % (uint32_t)opt.window;
  return (int)(lane % (uint32_t)opt.flows);
}

/**
 * Sends requests `ids[0..count)` on `flow`'s socket, in batches of up to BATCH. Each id's slot must be free. Stops
 * early when the measured window ends on --max-requests. A datagram the kernel would not take stays in flight
 * and times out.
 */
static void send_on_flow(int flow, const uint32_t *ids, int count) {
  for (int done = 0; done < count && (phase == WARMUP || phase == MEASURE);) {
    int64_t now = now_ns();
    int n = 0;
    for (; n < BATCH && done + n < count && (phase == WARMUP || phase == MEASURE); n++) {
      uint32_t id = ids[done + n];
      struct slot *slot = &slots[id % slot_count];
      unsigned char *buf = send_buffers[n];
      buf[ID_OFFSET] = (unsigned char)(id >> 24);
      buf[ID_OFFSET + 1] = (unsigned char)(id >> 16);
      buf[ID_OFFSET + 2] = (unsigned char)(id >> 8);
      buf[ID_OFFSET + 3] = (unsigned char)id;
      slot->id = id;
      slot->sent_at = now;
      slot->in_flight = 1;
      slot->in_window = phase == MEASURE;
      if (phase == MEASURE) {
        window_in_flight++;
        if (++sent >= opt.max_requests) end_window();
      }
    }
    for (int pushed = 0, attempts = 0; pushed < n;) {
      int r = sendmmsg(fds[flow], send_msgs + pushed, (unsigned)(n - pushed), 0);
      send_calls++;
      if (r > 0) {
        pushed += r;
        continue;
      }
      if (errno == EINTR) continue;
      send_errors++;
      // A connected socket reports an earlier ICMP "port unreachable" once, as ECONNREFUSED: try again.
      if (errno == ECONNREFUSED && ++attempts < 3) continue;
      break;
    }
    done += n;
  }
}

/** Sends requests `ids[0..count)`, each on its flow's socket. */
static void send_requests(const uint32_t *ids, int count) {
  if (opt.flows == 1) {
    send_on_flow(0, ids, count);
    return;
  }
  static uint32_t grouped[65536];
  for (int flow = 0; flow < opt.flows; flow++) {
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (flow_of(ids[i]) != flow) continue;
      grouped[n++] = ids[i];
      if (n == (int)(sizeof grouped / sizeof grouped[0])) {
        send_on_flow(flow, grouped, n);
        n = 0;
      }
    }
    if (n > 0) send_on_flow(flow, grouped, n);
  }
}

static void record_reply(struct slot *slot, int64_t now) {
  if (phase == MEASURE) received++;
  if (slot->in_window) {
    answered++;
    if (sample_count < opt.max_requests) samples[sample_count++] = (float)(now - slot->sent_at) / 1000.0f;
  }
  settle(slot);
}

/** Checks one received datagram; returns its slot when it answers a request in flight, else NULL. */
static struct slot *match_reply(const unsigned char *buf, unsigned length) {
  if ((int)length != datagram_bytes || buf[TYPE_OFFSET] != opt.reply_type ||
      memcmp(buf, template_datagram, TYPE_OFFSET) != 0 ||
      memcmp(buf + HEADER_BYTES, template_datagram + HEADER_BYTES, (size_t)opt.payload_bytes) != 0) {
    unexpected++;
    return NULL;
  }
  uint32_t id = (uint32_t)buf[ID_OFFSET] << 24 | (uint32_t)buf[ID_OFFSET + 1] << 16 |
                (uint32_t)buf[ID_OFFSET + 2] << 8 | buf[ID_OFFSET + 3];
  struct slot *slot = &slots[id % slot_count];
  if (!slot->in_flight || slot->id != id) {
    unexpected++; // late (already counted lost) or duplicated
    return NULL;
  }
  return slot;
}

/** One recvmmsg on `flow`'s socket; returns how many datagrams it brought (0 on timeout or error). */
static int receive(int flow, int flags) {
  int r = recvmmsg(fds[flow], recv_msgs, BATCH, flags, NULL);
  recv_calls++;
  if (r < 0) {
    // EAGAIN: timed out or nothing waiting. ECONNREFUSED: the target is not (yet, or any more) listening.
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) recv_errors++;
    return 0;
  }
  return r;
}

/** Several flows: waits (unless spinning) until one has replies, or RECV_TIMEOUT_US. */
static void wait_for_replies(void) {
  if (opt.flows == 1 || opt.spin) return;
  poll(poll_fds, (nfds_t)opt.flows, RECV_TIMEOUT_US / 1000);
}

/** Sets the phase from the clock: the window opens after the warm-up and closes after its duration. */
static void advance_phase(int64_t now, int64_t warmup_end) {
  if (phase == WARMUP && now >= warmup_end) start_window();
  if (phase == MEASURE && now - window_start.wall_ns >= opt.duration_ms * NS_PER_MS) end_window();
}

static void closed_loop(int64_t started, int64_t deadline) {
  const uint32_t lanes = (uint32_t)opt.window;
  uint32_t *pending = malloc(sizeof *pending * lanes);
  if (pending == NULL) {
    perror("mmsg-load: malloc");
    exit(1);
  }
  int64_t warmup_end = started + opt.warmup_ms * NS_PER_MS;
  int64_t next_sweep = started + SWEEP_NS;
  if (opt.warmup_ms == 0) start_window();
  for (uint32_t lane = 0; lane < lanes; lane++) pending[lane] = lane;
  send_requests(pending, (int)lanes);

  while (phase != DONE) {
    int npending = 0;
    int64_t now = 0;
    wait_for_replies();
    for (int flow = 0; flow < opt.flows; flow++) {
      // One flow: block in recvmmsg itself (as before flows existed); several: poll above, then take what waits.
      int got = receive(flow, opt.flows == 1 && !opt.spin ? MSG_WAITFORONE : MSG_DONTWAIT);
      now = now_ns();
      for (int i = 0; i < got; i++) {
        struct slot *slot = match_reply(recv_buffers[i], recv_msgs[i].msg_len);
        if (slot == NULL) continue;
        uint32_t id = slot->id;
        record_reply(slot, now);
        if (phase == WARMUP || phase == MEASURE) pending[npending++] = id + lanes;
      }
    }
    if (now >= next_sweep) {
      next_sweep = now + SWEEP_NS;
      for (uint32_t lane = 0; lane < lanes; lane++) {
        struct slot *slot = &slots[lane];
        if (slot->in_flight && now - slot->sent_at > opt.timeout_ms * NS_PER_MS) {
          if (slot->in_window) lost++;
          uint32_t id = slot->id;
          settle(slot);
          if (phase == WARMUP || phase == MEASURE) pending[npending++] = id + lanes;
        }
      }
    }
    advance_phase(now, warmup_end);
    send_requests(pending, npending);
    if ((phase == DRAIN && window_in_flight == 0) || now >= deadline || stopping) phase = DONE;
  }
  free(pending);
}

static void open_loop(int64_t started, int64_t deadline) {
  const uint32_t mask = slot_count - 1;
  int64_t warmup_end = started + opt.warmup_ms * NS_PER_MS;
  int64_t next_sweep = started + SWEEP_NS;
  uint32_t next_seq = 0, oldest = 0;
  uint32_t due_ids[BATCH];
  if (opt.warmup_ms == 0) start_window();

  while (phase != DONE) {
    int64_t now = now_ns();
    advance_phase(now, warmup_end);
    // Send what the schedule says is due, BATCH at a time.
    while (phase == WARMUP || phase == MEASURE) {
      int64_t due = (now - started) * opt.rate / NS_PER_S;
      int n = 0;
      while (n < BATCH && (int64_t)next_seq < due) {
        struct slot *slot = &slots[next_seq & mask];
        if (slot->in_flight) {
          // The table wrapped onto an unanswered request: it is older than any timeout we allow, so it is lost.
          if (slot->in_window) lost++;
          settle(slot);
        }
        due_ids[n++] = next_seq++;
      }
      if (n == 0) break;
      send_requests(due_ids, n);
    }
    // Take every reply waiting, without blocking.
    for (int flow = 0; flow < opt.flows; flow++) {
      for (int got = BATCH; got == BATCH;) {
        got = receive(flow, MSG_DONTWAIT);
        int64_t received_at = now_ns();
        for (int i = 0; i < got; i++) {
          struct slot *slot = match_reply(recv_buffers[i], recv_msgs[i].msg_len);
          if (slot != NULL) record_reply(slot, received_at);
        }
      }
    }
    now = now_ns();
    if (now >= next_sweep) {
      next_sweep = now + SWEEP_NS;
      // Requests settle roughly in send order: walk from the oldest, and stop at the first still waiting.
      for (; oldest != next_seq; oldest++) {
        struct slot *slot = &slots[oldest & mask];
        if (slot->in_flight && slot->id == oldest) {
          if (now - slot->sent_at <= opt.timeout_ms * NS_PER_MS) break;
          if (slot->in_window) lost++;
          settle(slot);
        }
      }
    }
    if ((phase == DRAIN && window_in_flight == 0) || now >= deadline || stopping) {
      phase = DONE;
      break;
    }
    // Sleep until a reply arrives or the next request, sweep or phase change is due.
    int64_t wake = next_sweep;
    if (phase == WARMUP || phase == MEASURE) {
      int64_t next_due = started + ((int64_t)next_seq + 1) * NS_PER_S / opt.rate;
      if (next_due < wake) wake = next_due;
      int64_t edge = phase == WARMUP ? warmup_end : window_start.wall_ns + opt.duration_ms * NS_PER_MS;
      if (edge < wake) wake = edge;
    }
    if (wake > now) {
      int64_t wait = wake - now;
      struct timespec timeout = {.tv_sec = wait / NS_PER_S, .tv_nsec = wait % NS_PER_S};
      ppoll(poll_fds, (nfds_t)opt.flows, &timeout, NULL);
    }
  }
}

static int compare_floats(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

/** Nearest rank, as tools/bench/src/percentiles.ts: the smallest sample with at least p/1000 of them at or below it. */
static double percentile_permille(int64_t p) {
  if (sample_count == 0) return 0;
  int64_t rank = (p * sample_count + 999) / 1000;
  if (rank > sample_count) rank = sample_count;
  if (rank < 1) rank = 1;
  return samples[rank - 1];
}

static void print_optional(const char *name, int64_t value, const char *after) {
  if (value < 0) printf("\"%s\":null%s", name, after);
  else printf("\"%s\":%" PRId64 "%s", name, value, after);
}

static int64_t delta(int64_t start, int64_t end) { return start < 0 || end < 0 ? -1 : end - start; }

static void print_result(int64_t total_cpu_us) {
  struct snapshot start = window_start, end = window_end;
  if (start.wall_ns == 0) start = take_snapshot();
  if (end.wall_ns == 0) end = take_snapshot();
  double seconds = (double)(end.wall_ns - start.wall_ns) / 1e9;
  if (seconds < 1e-3) seconds = 1e-3;
  qsort(samples, (size_t)sample_count, sizeof *samples, compare_floats);
  double sum = 0;
  for (int64_t i = 0; i < sample_count; i++) sum += samples[i];
  int64_t generator_us = delta(start.self_us, end.self_us);

  printf("{\"generator\":\"mmsg-load\",\"mode\":\"%s\",", opt.rate > 0 ? "open-loop" : "closed-loop");
  printf("\"flows\":%d,", opt.flows);
  if (opt.rate > 0) printf("\"rate\":%" PRId64 ",", opt.rate);
  else printf("\"window\":%d,\"wait\":\"%s\",", opt.window, opt.spin ? "spin" : "block");
  printf("\"seconds\":%.6f,\"sent\":%" PRId64 ",\"received\":%" PRId64 ",\"answered\":%" PRId64
         ",\"lost\":%" PRId64 ",\"unexpected\":%" PRId64 ",\"sendErrors\":%" PRId64 ",\"recvErrors\":%" PRId64
         ",\"repliesPerSecond\":%.1f,",
         seconds, sent, received, answered, lost, unexpected, send_errors, recv_errors, (double)received / seconds);
  printf("\"rttUs\":{\"count\":%" PRId64 ",\"mean\":%.1f,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,"
         "\"max\":%.1f},",
         sample_count, sample_count > 0 ? sum / (double)sample_count : 0.0, percentile_permille(500),
         percentile_permille(900), percentile_permille(990), percentile_permille(999),
         sample_count > 0 ? (double)samples[sample_count - 1] : 0.0);
  printf("\"syscalls\":{\"sendmmsg\":%" PRId64 ",\"recvmmsg\":%" PRId64 "},", send_calls, recv_calls);
  printf("\"cpu\":{\"wallUs\":%" PRId64 ",", (end.wall_ns - start.wall_ns) / 1000);
  print_optional("generatorUs", generator_us, ",");
  print_optional("generatorUsTotal", total_cpu_us, ",");
  print_optional("targetTicks", delta(start.target_ticks, end.target_ticks), ",");
  print_optional("machineBusyTicks", delta(start.machine_busy_ticks, end.machine_busy_ticks), ",");
  print_optional("machineStealTicks", delta(start.machine_steal_ticks, end.machine_steal_ticks), ",");
  printf("\"clockTicksPerSecond\":%ld}}\n", sysconf(_SC_CLK_TCK));
  fflush(stdout);
}

static void usage(const char *problem) {
  fprintf(stderr,
          "mmsg-load: %s\n"
          "usage: mmsg-load --port <n> [--window <n> | --rate <per s>] [--payload-bytes <n>] [--warmup-ms <ms>]\n"
          "                 [--duration-ms <ms>] [--timeout-ms <ms>] [--max-requests <n>] [--reply-type <byte>]\n"
          "                 [--target-pid <pid>] [--wait block|spin] [--flows <n>]\n",
          problem);
  exit(EXIT_USAGE);
}

/** Parses an integer flag value in [min, max] (decimal, or 0x… hex); exits with usage otherwise. */
static int64_t parse_int(const char *flag, const char *text, int64_t min, int64_t max) {
  char *end;
  errno = 0;
  long long value = strtoll(text, &end, 0);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
    char problem[160];
    snprintf(problem, sizeof problem, "%s: expected an integer from %" PRId64 " to %" PRId64 ", got \"%s\"", flag,
             min, max, text);
    usage(problem);
  }
  return value;
}

static void parse_args(int argc, char **argv) {
  for (int i = 1; i < argc; i += 2) {
    const char *flag = argv[i];
    if (i + 1 >= argc) usage("every flag takes a value");
    const char *value = argv[i + 1];
    if (strcmp(flag, "--port") == 0) opt.port = (int)parse_int(flag, value, 1, 65535);
    else if (strcmp(flag, "--window") == 0) opt.window = (int)parse_int(flag, value, 1, 65536);
    else if (strcmp(flag, "--rate") == 0) opt.rate = parse_int(flag, value, 1, 10000000);
    else if (strcmp(flag, "--payload-bytes") == 0) opt.payload_bytes = (int)parse_int(flag, value, 0, MAX_PAYLOAD_BYTES);
    else if (strcmp(flag, "--warmup-ms") == 0) opt.warmup_ms = parse_int(flag, value, 0, 60000);
    else if (strcmp(flag, "--duration-ms") == 0) opt.duration_ms = parse_int(flag, value, 1, 600000);
    else if (strcmp(flag, "--timeout-ms") == 0) opt.timeout_ms = parse_int(flag, value, 1, 60000);
    else if (strcmp(flag, "--max-requests") == 0) opt.max_requests = parse_int(flag, value, 1, 100000000);
    else if (strcmp(flag, "--reply-type") == 0) opt.reply_type = (int)parse_int(flag, value, 0, 255);
    else if (strcmp(flag, "--flows") == 0) opt.flows = (int)parse_int(flag, value, 1, MAX_FLOWS);
    else if (strcmp(flag, "--target-pid") == 0) opt.target_pid = (long)parse_int(flag, value, 1, INT32_MAX);
    else if (strcmp(flag, "--wait") == 0) {
      if (strcmp(value, "block") != 0 && strcmp(value, "spin") != 0) usage("--wait: expected block or spin");
      opt.spin = strcmp(value, "spin") == 0;
    }
    else {
      char problem[160];
      snprintf(problem, sizeof problem, "unknown flag \"%s\"", flag);
      usage(problem);
    }
  }
  if (opt.port == 0) usage("--port is required");
}

/** Table size: the window (closed loop), or a power of two ≥ twice one timeout period's requests (open loop). */
static uint32_t table_size(void) {
  if (opt.rate == 0) return (uint32_t)opt.window;
  int64_t needed = opt.rate * opt.timeout_ms / 1000 * 2;
  uint32_t size = 1024;
  while (size < needed && size < (UINT32_C(1) << 30)) size <<= 1;
  return size;
}

static int open_socket(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  if (s < 0) return -1;
  int bytes = SOCKET_BUFFER_BYTES;
  // FORCE passes net.core.[rw]mem_max when we may; otherwise the plain option, capped at the maximum.
  if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0)
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  if (setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes) != 0)
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
  struct timeval timeout = {.tv_sec = 0, .tv_usec = RECV_TIMEOUT_US};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = 0};
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct sockaddr_in remote = {.sin_family = AF_INET, .sin_port = htons((unsigned short)opt.port)};
  remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Connected: no address per datagram, and the kernel passes us replies from the target only.
  if (bind(s, (struct sockaddr *)&local, sizeof local) != 0 ||
      connect(s, (struct sockaddr *)&remote, sizeof remote) != 0) {
    close(s);
    return -1;
  }
  return s;
}

int main(int argc, char **argv) {
  parse_args(argc, argv);
  datagram_bytes = HEADER_BYTES + opt.payload_bytes;
  const unsigned char header[HEADER_BYTES] = {0x52, 0x43, 0x01, 0x01, 0, 0, 0, 0};
  memcpy(template_datagram, header, HEADER_BYTES);
  memset(template_datagram + HEADER_BYTES, 0x61, (size_t)opt.payload_bytes);

  slot_count = table_size();
  slots = calloc(slot_count, sizeof *slots);
  samples = malloc(sizeof *samples * (size_t)opt.max_requests);
  if (slots == NULL || samples == NULL) {
    perror("mmsg-load: allocating the request table");
    return 1;
  }
  for (int i = 0; i < BATCH; i++) {
    memcpy(send_buffers[i], template_datagram, (size_t)datagram_bytes);
    send_iov[i] = (struct iovec){.iov_base = send_buffers[i], .iov_len = (size_t)datagram_bytes};
    send_msgs[i].msg_hdr = (struct msghdr){.msg_iov = &send_iov[i], .msg_iovlen = 1};
    recv_iov[i] = (struct iovec){.iov_base = recv_buffers[i], .iov_len = RECV_BYTES};
    recv_msgs[i].msg_hdr = (struct msghdr){.msg_iov = &recv_iov[i], .msg_iovlen = 1};
  }

  for (int flow = 0; flow < opt.flows; flow++) {
    fds[flow] = open_socket();
    if (fds[flow] < 0) {
      perror("mmsg-load: socket");
      return 1;
    }
    poll_fds[flow] = (struct pollfd){.fd = fds[flow], .events = POLLIN};
  }
  // No SA_RESTART: a signal interrupts the wait, and the loop ends and reports what it has.
  struct sigaction action = {.sa_handler = on_signal};
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  // ppoll wakes within about a microsecond of the open loop's schedule rather than the default 50 µs.
  prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);

  int64_t started = now_ns();
  // Bounded even if every reply went astray: the run cannot outlive this.
  int64_t deadline = started + (opt.warmup_ms + opt.duration_ms + opt.timeout_ms + 5000) * NS_PER_MS;
  if (opt.rate > 0) open_loop(started, deadline);
  else closed_loop(started, deadline);
  end_window();
  // Whatever the window sent and is still waiting for (deadline or signal) is lost too.
  for (uint32_t i = 0; i < slot_count; i++)
    if (slots[i].in_flight && slots[i].in_window) lost++;

  print_result(self_cpu_us());
  for (int flow = 0; flow < opt.flows; flow++) close(fds[flow]);
  free(slots);
  free(samples);
  return 0;
}
