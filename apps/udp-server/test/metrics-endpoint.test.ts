import { connect } from 'node:net';
import { loadSettings, serverSettings } from '@ricochet/config';
import { MessageType, encode, paddedHealthRequest } from '@ricochet/protocol';
import pino from 'pino';
import { startApp, type App } from '../src/app';
import { DROP_REASON_NAMES } from '../src/drop-reasons';
import { HTTP_LIMITS } from '../src/observability/http-endpoint';
import { UdpClient, barrier, itIf, promtoolCheckMetrics, requireTools } from '@ricochet/testing';
import { SOCKET_IO_PATHS } from './helpers';

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  let app: App;
  let client: UdpClient;
  let base: string;

  beforeEach(async () => {
    const config = loadSettings(serverSettings, {
      env: {
        UDP_HOST: '127.0.0.1',
        UDP_PORT: '0',
        METRICS_HOST: '127.0.0.1',
        METRICS_PORT: '0',
        DRAIN_SECONDS: '3600',
        SOCKET_IO: socketIo,
      },
      argv: [],
    });
    app = await startApp(config, pino({ level: 'silent' }), { metricsRenderIntervalMs: 0 });
    base = `http://127.0.0.1:${app.metricsAddress.port}`;
    client = await UdpClient.open();
  });

  afterEach(async () => {
    await app.server.close();
  });

  /** What Prometheus 2.42 sends (seen on the wire). */
  const PROMETHEUS_ACCEPT =
    'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

  /** GET /metrics in the text format, or as Prometheus asks for it (OpenMetrics); the body. */
  async function exposition(format: 'text' | 'openmetrics' = 'text'): Promise<string> {
    const response = await fetch(`${base}/metrics`, {
      headers: format === 'openmetrics' ? { accept: PROMETHEUS_ACCEPT } : {},
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      format === 'openmetrics'
        ? 'application/openmetrics-text; version=1.0.0; charset=utf-8'
        : 'text/plain; version=0.0.4; charset=utf-8',
    );
    return response.text();
  }

  /** Parses an exposition into "name{labels}" → value. */
  async function scrape(format: 'text' | 'openmetrics' = 'text'): Promise<Map<string, number>> {
    const samples = new Map<string, number>();
    for (const line of (await exposition(format)).split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const at = line.lastIndexOf(' ');
      samples.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
    return samples;
  }

  const ping = (id: number): Buffer =>
    encode({ type: MessageType.PING, requestId: id, payload: Buffer.from([id & 0xff]) });

  describe('/metrics', () => {
    it('counts exactly: N pings give N more received and sent; K bad datagrams give K more drops by reason', async () => {
      const before = await scrape();
      const pings = Array.from({ length: 40 }, (_, i) => ping(i));
      const bad = [
        ...Array.from({ length: 7 }, () => Buffer.from('garbage!!')),
        ...Array.from({ length: 3 }, () => Buffer.from([0x52, 0x43])),
        encode({ type: MessageType.HEALTH, requestId: 1, paddingBytes: 0 }),
      ];
      await barrier(client, app.udpAddress.port, { before: [...pings, ...bad] });
      const after = await scrape();
      const delta = (key: string): number => after.get(key)! - (before.get(key) ?? 0);
      // +1: the barrier PING.
      expect(delta('ricochet_datagrams_received_total{type="ping"}')).toBe(41);
      expect(delta('ricochet_replies_sent_total{type="pong"}')).toBe(41);
      expect(delta('ricochet_datagrams_received_total{type="other"}')).toBe(10);
      expect(delta('ricochet_datagrams_received_total{type="health"}')).toBe(1);
      expect(delta('ricochet_datagrams_dropped_total{reason="bad_magic"}')).toBe(7);
      expect(delta('ricochet_datagrams_dropped_total{reason="too_short"}')).toBe(3);
      expect(delta('ricochet_datagrams_dropped_total{reason="reply_exceeds_request"}')).toBe(1);
      expect(delta('ricochet_datagram_handling_seconds_count')).toBe(52);
      expect(after.get('ricochet_datagram_handling_seconds_bucket{le="+Inf"}')).toBe(
        after.get('ricochet_datagram_handling_seconds_count'),
      );
    });

    it('exposes one series per drop reason, the I/O path, the lifecycle state, the receive buffer, kernel counters and build info', async () => {
      const samples = await scrape();
      const keys = [...samples.keys()];
      expect(keys.filter((k) => k.startsWith('ricochet_datagrams_dropped_total{'))).toHaveLength(
        DROP_REASON_NAMES.length,
      );
      expect(samples.get('ricochet_datagrams_dropped_total{reason="rate_limited"}')).toBe(0);
      expect(samples.get('ricochet_rate_limit_entries{table="source"}')).toBe(0); // the test client is on loopback
      expect(samples.has('ricochet_rate_limit_evictions_total{table="prefix"}')).toBe(true);
      expect(samples.get(`ricochet_socket_io_info{path="${socketIo}"}`)).toBe(1);
      expect([...samples.keys()].filter((k) => k.startsWith('ricochet_socket_io_info{'))).toHaveLength(1);
      expect(samples.get('ricochet_lifecycle_state{state="serving"}')).toBe(1);
      expect(samples.get('ricochet_lifecycle_state{state="draining"}')).toBe(0);
      expect(samples.get('ricochet_socket_receive_buffer_bytes{kind="granted"}')).toBeGreaterThan(0);
      expect(samples.get('ricochet_kernel_udp_in_datagrams_total{ip_version="4"}')).toBeGreaterThan(0);
      expect(samples.has('ricochet_kernel_udp_rcvbuf_errors_total{ip_version="4"}')).toBe(true);
      expect(keys.find((k) => k.startsWith('ricochet_build_info{'))).toMatch(
        /version="0\.1\.0",commit="[^"]+",node_version="v24/,
      );
    });

    it("exposes prom-client's process and Node.js metrics under their standard names, and ours under ricochet_", async () => {
      const keys = [...(await scrape()).keys()];
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'process_start_time_seconds',
        'nodejs_eventloop_lag_p99_seconds',
        'nodejs_heap_size_used_bytes',
        'process_open_fds',
        'nodejs_version_info',
      ]) {
        expect({ name, exported: keys.some((k) => k === name || k.startsWith(`${name}{`)) }).toEqual({
          name,
          exported: true,
        });
      }
      expect(keys.filter((k) => !/^(ricochet|process|nodejs)_/.test(k))).toEqual([]);
      expect(keys.filter((k) => /^ricochet_(process|nodejs)_/.test(k))).toEqual([]);
    });

    it('answers a scraper asking for OpenMetrics with the same samples, counters declared by family', async () => {
      const text = await exposition('openmetrics');
      expect(text).toContain(
        '# TYPE ricochet_datagrams_received counter\nricochet_datagrams_received_total{type="ping"} ',
      );
      expect(text).toContain('# TYPE process_cpu_seconds counter\nprocess_cpu_seconds_total ');
      expect(text.endsWith('\n# EOF\n')).toBe(true);
      // Our series are the same in both (prom-client's may gain series between two scrapes: a first major GC).
      const ours = (samples: Map<string, number>): string[] =>
        [...samples.keys()].filter((k) => k.startsWith('ricochet_'));
      const [openMetrics, plain] = [await scrape('openmetrics'), await scrape('text')];
      expect(ours(openMetrics).sort()).toEqual(ours(plain).sort());
      expect(openMetrics.get('ricochet_lifecycle_state{state="serving"}')).toBe(1);
    });

    itIf(...requireTools('promtool'))('passes promtool check metrics in both formats', async () => {
      // promtool reads the exposition on stdin and prints lint problems; exit 0 means none.
      await expect(promtoolCheckMetrics(await exposition('text'), 'text')).resolves.toMatchObject({ code: 0 });
      await expect(promtoolCheckMetrics(await exposition('openmetrics'), 'openmetrics')).resolves.toMatchObject({
        code: 0,
      });
    });
  });

  describe('/livez and /readyz', () => {
    it('are 200 while serving, after a real UDP round trip through the server socket', async () => {
      const before = app.server.stats.snapshot().received['health']!;
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toBe('ok: UDP round trip ok\n');
      expect(app.server.stats.snapshot().received['health']! - before).toBe(1);
      expect((await fetch(`${base}/livez`)).status).toBe(200);
    });

    it('reuse a recent round trip instead of sending another', async () => {
      await fetch(`${base}/readyz`);
      const before = app.server.stats.snapshot().received['health']!;
      await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}/readyz`)));
      expect(app.server.stats.snapshot().received['health']! - before).toBe(0);
    });

    it('turn readiness to 503 while draining, and keep liveness at 200', async () => {
      void app.server.drain();
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toBe('not ok: server is draining\n');
      expect((await fetch(`${base}/livez`)).status).toBe(200);
    });

    it('answer 404 for other paths and 405 for other methods', async () => {
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    });

    it('stop with the server', async () => {
      await app.server.close();
      await expect(fetch(`${base}/livez`)).rejects.toThrow();
    });
  });

  describe('the HEALTH request of the self-check', () => {
    it('is a padded one, like the probe sends', () => {
      expect(encode(paddedHealthRequest(1))).toHaveLength(46);
    });
  });

  describe('the HTTP port under abuse', () => {
    /** A slow client: connects, sends half a request line, never finishes. Resolves with when it was closed. */
    function slowClient(port: number, started: number): { connected: Promise<void>; closedAt: Promise<number> } {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined); // the reset of an evicted one
      const connected = new Promise<void>((resolve) =>
        socket.once('connect', () => {
          socket.write('GET /metr');
          resolve();
        }),
      );
      // Not events.once: it would reject on a reset instead of waiting for the close.
      const closedAt = new Promise<number>((resolve) =>
        socket.once('close', () => resolve(performance.now() - started)),
      );
      return { connected, closedAt };
    }

    it('serves a scrape while slow clients hold every slot, evicting the oldest, and times the rest out', async () => {
      const port = app.metricsAddress.port;
      const started = performance.now();
      const holders = Array.from({ length: HTTP_LIMITS.maxConnections }, () => slowClient(port, started));
      await Promise.all(holders.map((h) => h.connected));

      // Every slot is held by a connection without a request: a scrape still gets in, at once.
      const scrape = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(HTTP_LIMITS.headersTimeoutMs / 2) });
      expect(scrape.status).toBe(200);
      await scrape.text();

      const extra = 20;
      const latecomers = Array.from({ length: extra }, () => slowClient(port, started));
      const closedAt = (await Promise.all([...holders, ...latecomers].map((h) => h.closedAt))).sort((a, b) => a - b);
      // The scrape and the latecomers each evicted one of the oldest holders, long before the headers deadline ...
      expect(closedAt[extra]).toBeLessThan(HTTP_LIMITS.headersTimeoutMs);
      // ... and the rest went when it passed, long before Node's 30 s default.
      expect(closedAt.at(-1)).toBeGreaterThanOrEqual(HTTP_LIMITS.headersTimeoutMs - 100);
      expect(closedAt.at(-1)).toBeLessThan(
        HTTP_LIMITS.headersTimeoutMs + HTTP_LIMITS.connectionsCheckingIntervalMs + 3_000,
      );
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
    });
  });
});
