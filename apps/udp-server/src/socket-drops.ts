import { join } from 'node:path';
import { readProcText } from './read-proc-text';

/**
 * The `drops` column of /proc/net/udp (or udp6) summed over the sockets bound to `port`: datagrams the kernel threw
 * away because that socket's receive buffer was full. Unlike RcvbufErrors it counts this socket alone, not the
 * whole network namespace. Undefined when no such socket is listed.
 */
function parseSocketDrops(text: string, port: number): number | undefined {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let drops: number | undefined;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
    if (fields.length < 13 || !(fields[1] as string).endsWith(suffix)) continue;
    const value = Number(fields[12]);
    if (Number.isFinite(value)) drops = (drops ?? 0) + value;
  }
  return drops;
}

/** This process's socket on `port` (udp6 for an IPv6 socket): its drops, read now. */
export async function readSocketDrops(port: number, ipv6: boolean, procRoot = '/proc'): Promise<number | undefined> {
  const text = await readProcText(join(procRoot, 'net', ipv6 ? 'udp6' : 'udp'));
  return parseSocketDrops(text, port);
}
