import { join } from 'node:path';
import { readProcText } from '../read-proc-text';

/** The kernel's UDP counters that show what the server's own counters cannot: drops before the socket. */
export const KERNEL_UDP_COUNTERS = {
  InDatagrams: 'in_datagrams',
  NoPorts: 'no_ports',
  InErrors: 'in_errors',
  OutDatagrams: 'out_datagrams',
  RcvbufErrors: 'rcvbuf_errors',
  SndbufErrors: 'sndbuf_errors',
  InCsumErrors: 'in_csum_errors',
} as const;

export type KernelUdpCounter = keyof typeof KERNEL_UDP_COUNTERS;
export type KernelUdpCounters = Partial<Record<KernelUdpCounter, number>>;

/** Parses the `Udp:` header/value line pair of /proc/net/snmp. */
function parseSnmp(text: string): KernelUdpCounters {
  const lines = text.split('\n').filter((line) => line.startsWith('Udp: '));
  if (lines.length < 2) return {};
  const names = (lines[0] as string).split(/\s+/).slice(1);
  const values = (lines[1] as string).split(/\s+/).slice(1);
  return pick(names.map((name, i) => [name, Number(values[i])]));
}

/** Parses the `Udp6<Name> <value>` lines of /proc/net/snmp6. */
function parseSnmp6(text: string): KernelUdpCounters {
  const rows = text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts[0]?.startsWith('Udp6') === true && parts.length === 2)
    .map((parts) => [(parts[0] as string).slice('Udp6'.length), Number(parts[1])] as [string, number]);
  return pick(rows);
}

function pick(rows: [string, number][]): KernelUdpCounters {
  const counters: KernelUdpCounters = {};
  for (const [name, value] of rows) {
    if (Object.hasOwn(KERNEL_UDP_COUNTERS, name) && Number.isFinite(value)) counters[name as KernelUdpCounter] = value;
  }
  return counters;
}

/**
 * Reads the counters of the network namespace this process runs in (in Kubernetes: the pod's). Missing files
 * (no IPv6, not Linux) give empty results rather than errors.
 */
export async function readKernelUdpCounters(
  procRoot = '/proc',
): Promise<{ ipv4: KernelUdpCounters; ipv6: KernelUdpCounters }> {
  const read = (file: string): Promise<string> => readProcText(join(procRoot, 'net', file));
  const [snmp, snmp6] = await Promise.all([read('snmp'), read('snmp6')]);
  return { ipv4: parseSnmp(snmp), ipv6: parseSnmp6(snmp6) };
}
