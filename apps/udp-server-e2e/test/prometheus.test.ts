import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageType, encode } from '@ricochet/protocol';
import { UdpClient, describeIf, freePort, makeTempDir, requireTools, spawnProcess } from '@ricochet/testing';
import { startServer } from './processes';

// A real Prometheus (Debian's package) scrapes a running server on loopback; the counts it stores must be exact.

/** Polls `read` until it returns a value `accept` likes, or fails after `timeoutMs`. For state with no event. */
async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${what}: not reached within ${timeoutMs} ms (last value ${JSON.stringify(last)}, last error ${String(lastError)})`,
  );
}

describeIf(...requireTools('prometheus'))('Prometheus scraping a running server', () => {
  let api: string;

  async function query(expr: string): Promise<number | undefined> {
    const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
    const first = body.data.result[0];
    return first === undefined ? undefined : Number(first.value[1]);
  }

  it('stores exactly the counts of a known burst of good and bad datagrams', async () => {
    const server = startServer({ DRAIN_SECONDS: '0' });
    const udpPort = await server.port();
    const metricsPort = await server.metricsPort();
    const dir = makeTempDir('prometheus');
    const webPort = await freePort({ protocol: 'tcp' });
    api = `http://127.0.0.1:${webPort}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: ricochet',
        `    static_configs: [{ targets: ['127.0.0.1:${metricsPort}'] }]`,
        '',
      ].join('\n'),
    );
    spawnProcess('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${webPort}`,
      '--log.level=warn',
    ]);
    await eventually(
      () => query('up{job="ricochet"}'),
      (up) => up === 1,
      30_000,
      'first successful scrape',
    );

    // The burst: 300 PINGs, 50 bad magic, 20 too short, 10 PONGs (never answered), all from one client.
    const client = await UdpClient.open();
    const burst = [
      ...Array.from({ length: 300 }, (_, i) =>
        encode({ type: MessageType.PING, requestId: i, payload: Buffer.alloc(16) }),
      ),
      ...Array.from({ length: 50 }, () => Buffer.from('XX-not-ricochet')),
      ...Array.from({ length: 20 }, () => Buffer.from([0x52, 0x43, 0x01])),
      ...Array.from({ length: 10 }, (_, i) =>
        encode({ type: MessageType.PONG, requestId: i, payload: Buffer.alloc(0) }),
      ),
    ];
    for (const datagram of burst) await client.send(datagram, udpPort);

    const expected: [string, number][] = [
      ['ricochet_datagrams_received_total{type="ping"}', 300],
      ['ricochet_replies_sent_total{type="pong"}', 300],
      ['ricochet_datagrams_received_total{type="other"}', 80],
      ['ricochet_datagrams_dropped_total{reason="bad_magic"}', 50],
      ['ricochet_datagrams_dropped_total{reason="too_short"}', 20],
      ['ricochet_datagrams_dropped_total{reason="reply_type"}', 10],
      ['ricochet_datagrams_dropped_total{reason="privileged_source_port"}', 0],
      ['ricochet_lifecycle_state{state="serving"}', 1],
    ];
    for (const [expr, value] of expected) {
      await eventually(
        () => query(expr),
        (v) => v === value,
        15_000,
        expr,
      );
    }
    expect(await query('sum(ricochet_datagrams_dropped_total)')).toBe(80);
    expect(await query('ricochet_build_info')).toBe(1);
    expect(await query('ricochet_kernel_udp_in_datagrams_total{ip_version="4"}')).toBeGreaterThanOrEqual(380);
  });
});
