import { MAX_UDP_PAYLOAD_BYTES, PADDED_HEALTH_REQUEST_BYTES } from '@ricochet/protocol';
import { cidrList, decimal, integer, ipAddress, oneOf, setting } from './setting';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the server moves datagrams: `auto` is batched where the addon loads, dgram elsewhere. */
export const SOCKET_IO_CHOICES = ['auto', 'batched', 'dgram'] as const;
export type SocketIoChoice = (typeof SOCKET_IO_CHOICES)[number];

/** The server's settings. Defaults live here and nowhere else; the README table is generated from this. */
export const serverSettings = {
  host: setting({
    env: 'UDP_HOST',
    flag: 'host',
    default: '0.0.0.0',
    ...ipAddress(),
    description: 'Address to bind the UDP socket to. `::` listens on IPv6 (and IPv4 where the OS maps it).',
  }),
  port: setting({
    env: 'UDP_PORT',
    flag: 'port',
    default: 9999,
    ...integer(0, 65_535),
    description: 'UDP port to bind. `0` picks a free port (tests use this).',
  }),
  logLevel: setting<LogLevel>({
    env: 'LOG_LEVEL',
    flag: 'log-level',
    default: 'info',
    ...oneOf(LOG_LEVELS),
    description: 'Lowest pino level written to stdout. No level logs a line per datagram.',
  }),
  drainSeconds: setting({
    env: 'DRAIN_SECONDS',
    flag: 'drain-seconds',
    default: 5,
    ...decimal(0, 3600),
    description:
      'After SIGTERM/SIGINT, how long to keep answering (HEALTH says DRAINING) before closing. ' +
      "Keep it below the pod's terminationGracePeriodSeconds.",
  }),
  maxDatagramBytes: setting({
    env: 'MAX_DATAGRAM_BYTES',
    flag: 'max-datagram-bytes',
    default: 1472,
    ...integer(PADDED_HEALTH_REQUEST_BYTES, MAX_UDP_PAYLOAD_BYTES),
    description:
      'Largest datagram answered; bigger ones are dropped and counted. 1472 fills one 1500-byte Ethernet frame. ' +
      `The minimum (${PADDED_HEALTH_REQUEST_BYTES}) is a padded HEALTH request.`,
  }),
  recvBufferBytes: setting({
    env: 'RECV_BUFFER_BYTES',
    flag: 'recv-buffer-bytes',
    default: 4_194_304,
    ...integer(4096, 1_073_741_824),
    description:
      'Socket receive buffer to ask for (SO_RCVBUF). The kernel caps it at net.core.rmem_max; the server logs ' +
      'what it was granted and warns when that is less.',
  }),
  socketIo: setting<SocketIoChoice>({
    env: 'SOCKET_IO',
    flag: 'socket-io',
    default: 'auto',
    ...oneOf(SOCKET_IO_CHOICES),
    description:
      '`batched` reads and writes up to 64 datagrams per system call (recvmmsg/sendmmsg, the batched-udp addon, ' +
      "Linux); `dgram` is Node's one call per datagram; `auto` is batched where the addon loads, else dgram with " +
      'a warning. `batched` refuses to start without the addon.',
  }),
  workers: setting({
    env: 'WORKERS',
    flag: 'workers',
    default: 1,
    ...integer(1, 64),
    description:
      'UDP sockets on the port, each served by its own worker thread (SO_REUSEPORT: the kernel spreads flows over ' +
      'them by source address and port). `1` serves from the main thread. One per core of the CPU limit; the rate ' +
      'limits apply per worker.',
  }),
  metricsHost: setting({
    env: 'METRICS_HOST',
    flag: 'metrics-host',
    default: '0.0.0.0',
    ...ipAddress(),
    description: 'Address for the HTTP port serving /metrics, /livez and /readyz.',
  }),
  metricsPort: setting({
    env: 'METRICS_PORT',
    flag: 'metrics-port',
    default: 9464,
    ...integer(0, 65_535),
    description: 'TCP port for /metrics (Prometheus), /livez and /readyz. `0` picks a free port.',
  }),
  dropLogIntervalSeconds: setting({
    env: 'DROP_LOG_INTERVAL_SECONDS',
    flag: 'drop-log-interval-seconds',
    default: 10,
    ...decimal(0.1, 3600),
    description: 'Drops and send errors are logged at most once per reason per interval, with their count.',
  }),
  rateLimitSourceRate: setting({
    env: 'RATE_LIMIT_SOURCE_RATE',
    flag: 'rate-limit-source-rate',
    default: 100,
    ...decimal(0, 1_000_000),
    description:
      'Replies per second to one source address (token bucket); more are dropped as `rate_limited`. `0` turns ' +
      'the per-source limit off. A monitoring client pings a few times a second: 100 leaves it room.',
  }),
  rateLimitSourceBurst: setting({
    env: 'RATE_LIMIT_SOURCE_BURST',
    flag: 'rate-limit-source-burst',
    default: 200,
    ...integer(1, 1_000_000),
    description: 'Replies one source address may get at once, above its rate, after a quiet spell.',
  }),
  rateLimitPrefixRate: setting({
    env: 'RATE_LIMIT_PREFIX_RATE',
    flag: 'rate-limit-prefix-rate',
    default: 1000,
    ...decimal(0, 1_000_000),
    description:
      'Replies per second to all the addresses of one prefix together (see RATE_LIMIT_IPV4_PREFIX): a forger ' +
      'spreading a reflection over a victim network is held to this. `0` turns the per-prefix limit off.',
  }),
  rateLimitPrefixBurst: setting({
    env: 'RATE_LIMIT_PREFIX_BURST',
    flag: 'rate-limit-prefix-burst',
    default: 2000,
    ...integer(1, 1_000_000),
    description: 'Replies one prefix may get at once, above its rate.',
  }),
  rateLimitIpv4Prefix: setting({
    env: 'RATE_LIMIT_IPV4_PREFIX',
    flag: 'rate-limit-ipv4-prefix',
    default: 24,
    ...integer(8, 32),
    description: 'Prefix length that groups IPv4 sources for the per-prefix limit.',
  }),
  rateLimitIpv6Prefix: setting({
    env: 'RATE_LIMIT_IPV6_PREFIX',
    flag: 'rate-limit-ipv6-prefix',
    default: 56,
    ...integer(16, 128),
    description: 'Prefix length that groups IPv6 sources for the per-prefix limit (/56: a typical end site).',
  }),
  rateLimitTableSize: setting({
    env: 'RATE_LIMIT_TABLE_SIZE',
    flag: 'rate-limit-table-size',
    default: 65_536,
    ...integer(16, 16_777_216),
    description:
      'Sources, and separately prefixes, tracked at most; the least recently seen is forgotten to make room, so ' +
      'a flood from millions of forged addresses costs no memory. About 50 bytes per entry, allocated at start.',
  }),
  rateLimitExempt: setting<readonly string[]>({
    env: 'RATE_LIMIT_EXEMPT',
    flag: 'rate-limit-exempt',
    default: ['127.0.0.0/8', '::1/128'],
    ...cidrList(),
    description:
      "Sources never limited: by default loopback, where the kubelet's exec probes come from. `none` for none.",
  }),
};

export type ServerSettingsTable = typeof serverSettings;
