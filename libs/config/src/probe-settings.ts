import { MAX_UDP_PAYLOAD_BYTES, HEADER_BYTES } from '@ricochet/protocol';
import { flag, hostOrAddress, integer, oneOf, setting } from './setting';
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

/** `health-probe ping`: like ping(8), over the protocol. */
export const pingSettings = {
  ...target,
  count: setting({ flag: 'count', default: 5, ...integer(1, 1_000_000), description: 'How many PINGs to send.' }),
  intervalMs: setting({
    flag: 'interval-ms',
    default: 200,
    ...integer(0, 60_000),
    description: 'Pause between PINGs.',
  }),
  size: setting({
    flag: 'size',
    default: 56,
    ...integer(0, MAX_UDP_PAYLOAD_BYTES - HEADER_BYTES),
    description: 'Payload bytes per PING (the datagram is 8 bytes more).',
  }),
  timeoutMs: setting({
    flag: 'timeout-ms',
    default: 1000,
    ...integer(1, 60_000),
    description: 'How long to wait for the last replies after the last PING.',
  }),
  json: setting({ flag: 'json', default: false, ...flag(), description: 'Print one JSON summary instead of text.' }),
};
