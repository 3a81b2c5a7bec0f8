import { MAX_UDP_PAYLOAD_BYTES, HEADER_BYTES } from '@ricochet/protocol';
import { decimal, flag, hostOrAddress, integer, oneOf, setting } from './setting';
import { serverSettings } from './server-settings';

export const EXPECTATIONS = ['alive', 'serving'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

const target = {
  host: setting({
    env: 'PROBE_HOST',
    flag: 'host',
    default: '127.0.0.1',
    ...hostOrAddress(),
    description: 'Server to probe: an address, or a name such as the Service DNS name.',
  }),
  // Same variable as the server's, so an exec probe inherits the container's port.
  port: setting({
    ...serverSettings.port,
    // The server may bind 0 (any free port); nothing can be probed there.
    ...integer(1, 65535),
    description: 'Server UDP port to probe (the server reads the same variable).',
  }),
};

/** `health-probe check`: one HEALTH exchange, for Kubernetes probes. */
export const checkSettings = {
  ...target,
  timeoutMs: setting({
    env: 'PROBE_TIMEOUT_MS',
    flag: 'timeout-ms',
    default: 1000,
    ...integer(10, 60_000),
    description: 'Total time to wait for a valid answer, retrying the request within it.',
  }),
  expect: setting<Expectation>({
    flag: 'expect',
    default: 'serving',
    ...oneOf(EXPECTATIONS),
    description: '`alive`: any valid answer passes (liveness). `serving`: only status SERVING passes (readiness).',
  }),
};

/** Largest PING payload the server answers with its default MAX_DATAGRAM_BYTES. */
const SERVER_DEFAULT_PAYLOAD_BYTES = serverSettings.maxDatagramBytes.default - HEADER_BYTES;

/**
 * `health-probe ping`: ping(8) over the protocol. Its letters, units (seconds) and defaults are iputils ping's,
 * so muscle memory works: `ping -c 5 -i 0.2 HOST`, and without `-c` it runs until Ctrl-C.
 */
export const pingSettings = {
  host: setting({ ...target.host, positional: 'HOST' }),
  port: target.port,
  count: setting<number | undefined>({
    flag: 'count',
    short: 'c',
    default: undefined,
    ...integer(1, 1_000_000),
    description:
      'Stop after this many PINGs (with `-w`, once this many replies came). Without it, PING until Ctrl-C or ' +
      'the `-w` deadline.',
  }),
  intervalSeconds: setting({
    flag: 'interval',
    short: 'i',
    default: 1,
    ...decimal(0.002, 3600),
    description: "Seconds between PINGs, such as 0.2. The floor is ping(8)'s for users other than root.",
  }),
  size: setting({
    flag: 'size',
    short: 's',
    default: 56,
    ...integer(0, MAX_UDP_PAYLOAD_BYTES - HEADER_BYTES),
    description:
      `Payload bytes per PING; the datagram is ${HEADER_BYTES} bytes more. Above ${SERVER_DEFAULT_PAYLOAD_BYTES} ` +
      'the server drops it, unless its MAX_DATAGRAM_BYTES is raised from the default.',
  }),
  timeoutSeconds: setting({
    flag: 'timeout',
    short: 'W',
    default: 1,
    ...decimal(0.001, 60),
    description:
      'Seconds to wait for a reply: after the last PING, the run ends once every PING is answered or this has passed.',
  }),
  deadlineSeconds: setting<number | undefined>({
    flag: 'deadline',
    short: 'w',
    default: undefined,
    ...decimal(0.001, 86_400),
    description:
      'Stop after this many seconds, however many PINGs were sent or answered. With `-c`, exit 1 unless that ' +
      'many replies came.',
  }),
  quiet: setting({
    flag: 'quiet',
    short: 'q',
    default: false,
    ...flag(),
    description: 'Print only the first line and the statistics, no line per reply.',
  }),
  json: setting({ flag: 'json', default: false, ...flag(), description: 'Print one JSON summary instead of text.' }),
};
