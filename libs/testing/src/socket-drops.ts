import { readFileSync } from 'node:fs';

/**
 * Datagrams the kernel dropped for this machine's UDP sockets bound to local `port` because their receive buffer
 * was full (the `drops` column of /proc/net/udp and udp6). A test's own client sockets lose replies this way when
 * the machine is too loaded for the test to read them in time; counting them keeps its accounting exact.
 */
export function udpSocketDrops(port: number, procRoot = '/proc'): number {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let drops = 0;
  for (const file of ['udp', 'udp6']) {
    let text: string;
    try {
      text = readFileSync(`${procRoot}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(local)) drops += Number(fields[fields.length - 1]);
    }
  }
  return drops;
}

/** Resolves once `condition()` holds, checking on every turn of the event loop; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
