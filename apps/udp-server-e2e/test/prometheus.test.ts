import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MessageType, encode } from '@ricochet/protocol';
import {
  UdpClient,
  describeIf,
  freePort,
  makeTempDir,
  promtoolCheckMetrics,
  requireTools,
  spawnProcess,
} from '@ricochet/testing';
import { serverOver, SOCKET_IO_PATHS } from './processes';

// A real Prometheus (Debian's package, 2.42) scrapes a running server on loopback; the counts it stores must be
// exact, whichever exposition format it reads. It asks for OpenMetrics first, as every Prometheus since 2.5 does;
// a second job reads the text format through a relay that asks for that instead (as a scraper that knows only the
// text format does: 2.42 has no setting for its Accept header).

const TEXT_ACCEPT = 'text/plain;version=0.0.4';
const JOBS = { openmetrics: 'ricochet-openmetrics', text: 'ricochet-text' } as const;
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

/** An HTTP relay on loopback to `port` that asks for the text format, whatever its client asked for. */
async function textFormatRelay(port: number): Promise<Server> {
  const relay = createServer((request, response) => {
    fetch(`http://127.0.0.1:${port}${request.url ?? '/'}`, { headers: { accept: TEXT_ACCEPT } })
      .then(async (upstream) => {
        response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? '' });
        response.end(await upstream.text());
      })
      .catch((err: unknown) => {
        response.writeHead(502);
        response.end(String(err));
      });
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  return relay;
}

/** GET /metrics with `accept`; the body, once its content type is checked. */
async function exposition(port: number, accept: string, contentType: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { accept } });
  expect(response.headers.get('content-type')).toBe(contentType);
  return response.text();
}

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describeIf(...requireTools('prometheus', 'promtool'))('Prometheus scraping a running server', () => {
    let api: string;

    async function query(expr: string): Promise<number | undefined> {
      const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
      const first = body.data.result[0];
      return first === undefined ? undefined : Number(first.value[1]);
    }

    /** The type Prometheus recorded for a metric family as a job's target declared it, or undefined. */
    async function familyType(job: string, family: string): Promise<string | undefined> {
      const target = encodeURIComponent(`{job="${job}"}`);
      const response = await fetch(`${api}/api/v1/targets/metadata?match_target=${target}&metric=${family}`);
      const body = (await response.json()) as { data: { type: string }[] };
      return body.data[0]?.type;
    }

    it('stores exactly the counts of a known burst of good and bad datagrams, from OpenMetrics and the text format alike', async () => {
      const server = startServer({ DRAIN_SECONDS: '0' });
      const udpPort = await server.port();
      const metricsPort = await server.metricsPort();
      const relay = await textFormatRelay(metricsPort);
      const dir = makeTempDir('prometheus');
      const webPort = await freePort({ protocol: 'tcp' });
      api = `http://127.0.0.1:${webPort}`;
      try {
        writeFileSync(
          join(dir, 'prometheus.yml'),
          [
            'global: { scrape_interval: 1s, evaluation_interval: 1s }',
            'scrape_configs:',
            `  - job_name: ${JOBS.openmetrics}`,
            `    static_configs: [{ targets: ['127.0.0.1:${metricsPort}'] }]`,
            `  - job_name: ${JOBS.text}`,
            `    static_configs: [{ targets: ['127.0.0.1:${(relay.address() as AddressInfo).port}'] }]`,
            '',
          ].join('\n'),
        );
        spawnProcess('prometheus', [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${webPort}`,
          '--log.level=warn',
        ]);
        for (const job of Object.values(JOBS)) {
          await eventually(
            () => query(`up{job="${job}"}`),
            (up) => up === 1,
            30_000,
            `first successful scrape of ${job}`,
          );
        }

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

        const expected: [metric: string, labels: string, value: number][] = [
          ['ricochet_datagrams_received_total', 'type="ping"', 300],
          ['ricochet_replies_sent_total', 'type="pong"', 300],
          ['ricochet_datagrams_received_total', 'type="other"', 80],
          ['ricochet_datagrams_dropped_total', 'reason="bad_magic"', 50],
          ['ricochet_datagrams_dropped_total', 'reason="too_short"', 20],
          ['ricochet_datagrams_dropped_total', 'reason="reply_type"', 10],
          ['ricochet_datagrams_dropped_total', 'reason="privileged_source_port"', 0],
          ['ricochet_lifecycle_state', 'state="serving"', 1],
        ];
        for (const job of Object.values(JOBS)) {
          for (const [metric, labels, value] of expected) {
            const expr = `${metric}{job="${job}",${labels}}`;
            await eventually(
              () => query(expr),
              (v) => v === value,
              15_000,
              expr,
            );
          }
          expect(await query(`sum(ricochet_datagrams_dropped_total{job="${job}"})`)).toBe(80);
          expect(await query(`ricochet_build_info{job="${job}"}`)).toBe(1);
          expect(await query(`process_cpu_seconds_total{job="${job}"}`)).toBeGreaterThan(0);
          expect(
            await query(`ricochet_kernel_udp_in_datagrams_total{job="${job}",ip_version="4"}`),
          ).toBeGreaterThanOrEqual(380);
        }
        // What each job read: OpenMetrics declares a counter's family without _total, the text format with it.
        expect(await familyType(JOBS.openmetrics, 'ricochet_datagrams_received')).toBe('counter');
        expect(await familyType(JOBS.openmetrics, 'ricochet_datagrams_received_total')).toBeUndefined();
        expect(await familyType(JOBS.text, 'ricochet_datagrams_received_total')).toBe('counter');
        expect(await familyType(JOBS.text, 'ricochet_datagrams_received')).toBeUndefined();
      } finally {
        relay.close();
        relay.closeAllConnections();
      }
    });

    it('serves expositions that pass promtool check metrics, in both formats', async () => {
      const server = startServer();
      const port = await server.metricsPort();
      // What Prometheus 2.42 sends (seen on the wire).
      const prometheusAccept =
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
      const openMetrics = await exposition(
        port,
        prometheusAccept,
        'application/openmetrics-text; version=1.0.0; charset=utf-8',
      );
      const text = await exposition(port, TEXT_ACCEPT, 'text/plain; version=0.0.4; charset=utf-8');
      await expect(promtoolCheckMetrics(openMetrics, 'openmetrics')).resolves.toMatchObject({ code: 0 });
      await expect(promtoolCheckMetrics(text, 'text')).resolves.toMatchObject({ code: 0 });
    });
  });
});
