import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, encode, MessageType } from '@ricochet/protocol';
import { UdpClient, makeTempDir } from '@ricochet/testing';
import { SERVER_BUNDLE, runProbe, serverOver, SOCKET_IO_PATHS, startServer as startAnyServer } from './processes';

async function pingOnce(port: number, requestId: number): Promise<ReturnType<typeof decode>> {
  const client = await UdpClient.open();
  const ping = encode({ type: MessageType.PING, requestId, payload: Buffer.from('e2e') });
  return decode(await client.request(ping, port, { timeoutMs: 3000 }));
}

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describe('the server as a process', () => {
    it('logs JSON lines: a listening line per listener (HTTP, then UDP with config and buffer), then serving', async () => {
      const server = startServer({ RECV_BUFFER_BYTES: '262144' });
      const port = await server.port();
      expect(port).toBeGreaterThan(0);
      await server.waitForJson((e) => e['to'] === 'serving');
      const entries = server.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      // UDP binds last, so "serving" is only ever logged with every listener up, after their "listening" lines.
      expect(entries.map((e) => e['msg'])).toEqual([
        'metrics and health endpoints listening',
        'listening',
        'lifecycle starting → serving',
      ]);
      for (const entry of entries) {
        expect(entry).toEqual(
          expect.objectContaining({
            level: 'info',
            service: 'udp-server',
            version: '0.1.0',
            time: expect.any(String),
            msg: expect.any(String),
          }),
        );
      }
      expect(entries[1]).toMatchObject({
        address: { port },
        config: {
          host: '127.0.0.1',
          port: 0,
          logLevel: 'info',
          drainSeconds: 5,
          maxDatagramBytes: 1472,
          recvBufferBytes: 262144,
        },
        recvBuffer: { requestedBytes: 262144, grantedBytes: expect.any(Number) },
        socketIo,
      });
    });

    it('on SIGTERM: HEALTH turns DRAINING at once, PING is still answered, and it exits 0 after the drain', async () => {
      const server = startServer({ DRAIN_SECONDS: '2' });
      const port = await server.port();
      expect((await runProbe(['check', '--port', String(port), '--expect', 'serving'])).code).toBe(0);

      const signalled = performance.now();
      server.child.kill('SIGTERM');
      await server.waitForJson((e) => e['to'] === 'draining');
      const readiness = await runProbe(['check', '--port', String(port), '--expect', 'serving']);
      expect(readiness).toMatchObject({ code: 1, stdout: expect.stringMatching(/answered DRAINING/) });
      expect((await runProbe(['check', '--port', String(port), '--expect', 'alive'])).code).toBe(0);
      expect(await pingOnce(port, 77)).toMatchObject({ type: MessageType.PONG, requestId: 77 });

      expect(await server.exited).toEqual({ code: 0, signal: null });
      // It kept serving for the whole window: the exit came no sooner than DRAIN_SECONDS after the signal.
      expect(performance.now() - signalled).toBeGreaterThanOrEqual(2000);
      const last = JSON.parse(server.lines.at(-1)!) as Record<string, unknown>;
      expect(last).toMatchObject({ from: 'draining', to: 'stopped', stats: { received: { ping: 1, health: 3 } } });
      expect((await runProbe(['check', '--port', String(port), '--timeout-ms', '200'])).code).toBe(2);
    });

    it('drains on SIGINT as on SIGTERM', async () => {
      const server = startServer({ DRAIN_SECONDS: '0' });
      await server.port();
      server.child.kill('SIGINT');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain(
        'shutdown signal received: draining',
      );
    });

    it('exits at once on a second signal, with 128 + its number', async () => {
      const server = startServer({ DRAIN_SECONDS: '3600' });
      await server.port();
      server.child.kill('SIGTERM');
      await server.waitForJson((e) => e['to'] === 'draining');
      server.child.kill('SIGINT');
      expect(await server.exited).toEqual({ code: 130, signal: null });
      expect(JSON.parse(server.lines.at(-1)!)).toMatchObject({
        level: 'warn',
        msg: 'second shutdown signal: exiting now',
      });
    });

    it('refuses invalid configuration with exit 78, listing every problem, and starts nothing', async () => {
      const server = startServer({ UDP_PORT: 'ninety', LOG_LEVEL: 'chatty', DRAIN_SECONDS: '-2' });
      expect(await server.exited).toEqual({ code: 78, signal: null });
      expect(server.lines).toEqual([]);
      const stderr = server.stderr.join('\n');
      expect(stderr).toMatch(/Invalid configuration \(3 problems\); nothing was started/);
      expect(stderr).toMatch(/UDP_PORT: expected an integer from 0 to 65535, got "ninety"/);
      expect(stderr).toMatch(/LOG_LEVEL: expected one of .*, got "chatty"/);
      expect(stderr).toMatch(/DRAIN_SECONDS: expected a number from 0 to 3600, got "-2"/);
    });

    it('refuses an unknown flag with exit 64', async () => {
      const server = startServer({}, ['--portt', '1']);
      expect(await server.exited).toEqual({ code: 64, signal: null });
      expect(server.stderr.join('\n')).toMatch(/Unknown option '--portt'/);
    });

    it('prints usage for --help and exits 0', async () => {
      const server = startServer({}, ['--help']);
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.lines.join('\n')).toMatch(/--drain-seconds <value>/);
    });

    it.each([
      ['UDP', 'UDP_PORT', 'bind (UDP, UDP_PORT)'],
      ['metrics', 'METRICS_PORT', 'listen (metrics and health HTTP, METRICS_PORT)'],
    ])(
      'exits 1 with one coded fatal line, no stack and no "serving", when the %s port is taken',
      async (_, setting, action) => {
        const first = startServer();
        const taken = setting === 'UDP_PORT' ? await first.port() : await first.metricsPort();
        const second = startServer({ [setting]: String(taken) });
        expect(await second.exited).toEqual({ code: 1, signal: null });
        expect(second.lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
          ...(setting === 'UDP_PORT'
            ? [expect.objectContaining({ msg: 'metrics and health endpoints listening' })]
            : []),
          {
            level: 'fatal',
            time: expect.any(String),
            service: 'udp-server',
            version: expect.any(String),
            msg: 'could not start',
            err: {
              type: 'RuntimeError',
              code: 'UDP_ERR_SOCKET',
              message: expect.stringContaining(`Socket ${action} failed for 127.0.0.1:${taken}: `),
            },
          },
        ]);
        expect(second.stderr).toEqual([]);
      },
    );

    it('adds the stack to the fatal line at LOG_LEVEL=debug', async () => {
      const first = startServer();
      const second = startServer({ UDP_PORT: String(await first.port()), LOG_LEVEL: 'debug' });
      expect(await second.exited).toEqual({ code: 1, signal: null });
      const fatal = second.lines.map((l) => JSON.parse(l) as Record<string, unknown>).at(-1);
      expect(fatal).toMatchObject({
        level: 'fatal',
        err: { code: 'UDP_ERR_SOCKET', stack: expect.stringMatching(/\n\s+at /) },
      });
    });
  });
});

describe('the bundle without the batched-udp addon beside it', () => {
  /** The server bundle copied alone into an empty directory: the loader finds no addon. */
  function bundleAlone(): string {
    const bundle = join(makeTempDir('bundle-alone'), 'main.js');
    copyFileSync(SERVER_BUNDLE, bundle);
    return bundle;
  }

  it('falls back to dgram under SOCKET_IO=auto, with one warning saying why, and serves', async () => {
    const server = startAnyServer({ SOCKET_IO: 'auto' }, [], { bundle: bundleAlone() });
    const port = await server.port();
    const entries = server.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.filter((e) => e['level'] !== 'info')).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'batched socket I/O unavailable: using dgram',
        reason: expect.stringMatching(/batched-udp\.linux-(amd64|arm64)\.node: not found/),
      }),
    ]);
    expect(entries.find((e) => e['msg'] === 'listening')).toMatchObject({ socketIo: 'dgram' });
    expect(await pingOnce(port, 5)).toMatchObject({ type: MessageType.PONG, requestId: 5 });
  });

  it('refuses to start under SOCKET_IO=batched: exit 1, one coded fatal line', async () => {
    const server = startAnyServer({ SOCKET_IO: 'batched' }, [], { bundle: bundleAlone() });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        level: 'fatal',
        msg: 'could not start',
        err: expect.objectContaining({ code: 'UDP_ERR_SOCKET_IO_UNAVAILABLE' }),
      }),
    ]);
  });
});
