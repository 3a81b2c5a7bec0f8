import { loadSettings, pingSettings } from '@ricochet/config';
import { HealthStatus, MessageType, encode } from '@ricochet/protocol';
import { UdpClient, freePort } from '@ricochet/testing';
import { runPing } from '../src/ping';
import { FakeServer, answerWith, type Responder } from './fake-server';

interface PingRun {
  /** Aborts the run (as SIGINT does) once a line matching this has been written. */
  readonly interruptAt?: RegExp;
}

const ping = async (port: number, argv: string[], { interruptAt }: PingRun = {}) => {
  const lines: string[] = [];
  const interrupt = new AbortController();
  const config = loadSettings(pingSettings, { env: {}, argv: ['--port', String(port), '-i', '0.005', ...argv] });
  const write = (text: string): void => {
    lines.push(...text.split('\n'));
    if (interruptAt?.test(text)) interrupt.abort();
  };
  const result = await runPing(config, { write, signal: interrupt.signal });
  return { ...result, lines };
};

const serving = answerWith(HealthStatus.SERVING);
/** Answers like a server with the default MAX_DATAGRAM_BYTES (1472): bigger datagrams are dropped unanswered. */
const withDefaultLimit: Responder = (request, raw) => (raw.length > 1472 ? undefined : serving(request, raw));
const DECIMALS = /\.\d{4,}/;

describe('health-probe ping', () => {
  it("prints ping(8)'s first line, a line per reply, then its statistics with mdev", async () => {
    const server = await FakeServer.start(serving);
    const { exitCode, lines, report } = await ping(server.port, ['127.0.0.1', '-c', '3', '-s', '16']);
    expect(exitCode).toBe(0);
    expect(lines[0]).toMatch(/^PING 127\.0\.0\.1:\d+ \(127\.0\.0\.1\) 16\(24\) bytes of data\.$/);
    expect(lines.slice(1, 4)).toEqual([
      expect.stringMatching(/^24 bytes from 127\.0\.0\.1:\d+: seq=1 time=[\d.]+ ms$/),
      expect.stringMatching(/seq=2 /),
      expect.stringMatching(/seq=3 /),
    ]);
    expect(lines.slice(4)).toEqual([
      '',
      expect.stringMatching(/^--- 127\.0\.0\.1:\d+ ping statistics ---$/),
      expect.stringMatching(/^3 packets transmitted, 3 received, 0% packet loss, time \d+ms$/),
      expect.stringMatching(/^rtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms$/),
      expect.stringMatching(/^rtt p50 = \d+\.\d{3} ms$/),
    ]);
    expect(report).toMatchObject({ sent: 3, received: 3, errors: 0, lossPercent: 0, why: undefined });
    expect(server.requests.map((r) => r.type)).toEqual([MessageType.PING, MessageType.PING, MessageType.PING]);
  });

  it('prints one JSON summary with --json, every number rounded to 3 decimals', async () => {
    const server = await FakeServer.start(serving);
    const { lines } = await ping(server.port, ['-c', '3', '--json']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(DECIMALS);
    expect(JSON.parse(lines[0]!)).toEqual({
      target: `127.0.0.1:${server.port}`,
      address: '127.0.0.1',
      sent: 3,
      received: 3,
      duplicates: 0,
      errors: 0,
      lossPercent: 0,
      elapsedMs: expect.any(Number),
      rttMs: {
        min: expect.any(Number),
        avg: expect.any(Number),
        max: expect.any(Number),
        mdev: expect.any(Number),
        p50: expect.any(Number),
      },
    });
  });

  it('rounds a loss of a third to 33.333 in JSON and prints it as ping does, 33.3333%', async () => {
    let n = 0;
    const firstTwoOfThree: Responder = (request, raw) => (n++ % 3 === 2 ? undefined : serving(request, raw));
    const server = await FakeServer.start(firstTwoOfThree);
    const text = await ping(server.port, ['-c', '3', '-W', '0.2']);
    expect(text.lines).toContainEqual(
      expect.stringMatching(/^3 packets transmitted, 2 received, 33\.3333% packet loss/),
    );
    const json = await ping(server.port, ['-c', '3', '-W', '0.2', '--json']);
    expect(JSON.parse(json.lines[0]!)).toMatchObject({ lossPercent: 33.333 });
  });

  it('counts unanswered PINGs as loss and still exits 0 when some came back, giving no reason it does not know', async () => {
    let n = 0;
    const everyOther: Responder = (request, raw) => (n++ % 2 === 0 ? serving(request, raw) : undefined);
    const server = await FakeServer.start(everyOther);
    const { exitCode, report, lines } = await ping(server.port, ['-c', '4', '-W', '0.2']);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ sent: 4, received: 2, lossPercent: 50, why: undefined });
    expect(lines.at(-1)).toMatch(/^rtt p50 = /);
  });

  it('marks duplicates and ignores replies whose payload differs', async () => {
    const doubled: Responder = (request, raw) => {
      const pong = serving(request, raw) ?? [];
      const corrupted = Buffer.from(pong[0]!);
      corrupted[corrupted.length - 1] ^= 0xff;
      return [corrupted, ...pong, ...pong];
    };
    const server = await FakeServer.start(doubled);
    // The run ends at the last first reply, so the second PING's duplicate is never read.
    const { lines, report } = await ping(server.port, ['-c', '2', '-s', '4', '-W', '0.2']);
    expect(report).toMatchObject({ received: 2, duplicates: 1 });
    expect(lines.filter((l) => l.endsWith('(DUP!)'))).toHaveLength(1);
    expect(lines).toContainEqual(
      expect.stringMatching(/^2 packets transmitted, 2 received, \+1 duplicates, 0% packet/),
    );
  });

  it('exits 1 when the server stays silent, waiting -W after the last PING', async () => {
    const server = await FakeServer.start(() => undefined);
    const { exitCode, report, lines } = await ping(server.port, ['-c', '2', '-W', '0.1']);
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({ sent: 2, received: 0, lossPercent: 100, rttMs: undefined, why: undefined });
    expect(lines.at(-1)).toMatch(/^2 packets transmitted, 0 received, 100% packet loss/);
  });

  it('exits 1 when nothing listens, counting each refusal as an error and saying why', async () => {
    const { exitCode, report, lines } = await ping(await freePort(), ['-c', '3', '-W', '0.3']);
    expect(exitCode).toBe(1);
    // One refusal per PING as a rule; the kernel keeps one pending error, so two PINGs can share one.
    expect(report).toMatchObject({ sent: 3, received: 0, errors: expect.any(Number) });
    expect(report.errors).toBeGreaterThanOrEqual(1);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^From 127\.0\.0\.1:\d+ seq=\d: ECONNREFUSED: nothing listens there \(ICMP port unreachable\)$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^3 packets transmitted, 0 received, \\+${report.errors} errors, 100% packet`)),
    );
    expect(lines.at(-1)).toBe('no reply: ECONNREFUSED: nothing listens there (ICMP port unreachable)');
  });

  it("says that a payload over the server's default limit may be why no reply came", async () => {
    const server = await FakeServer.start(withDefaultLimit);
    const over = await ping(server.port, ['-c', '2', '-s', '1465', '-W', '0.2']);
    expect(over.exitCode).toBe(1);
    expect(over.lines.at(-1)).toBe(
      "no reply: payload over the server's default limit of 1472 bytes? Each PING is 1473 bytes; the server drops " +
        'bigger datagrams than its MAX_DATAGRAM_BYTES (-s 1464 fits the default)',
    );
    const fits = await ping(server.port, ['-c', '2', '-s', '1464']);
    expect(fits).toMatchObject({ exitCode: 0, report: { received: 2, why: undefined } });
  });

  it('prints only the first line and the statistics with -q', async () => {
    const server = await FakeServer.start(serving);
    const { lines } = await ping(server.port, ['-q', '-c', '3']);
    expect(lines[0]).toMatch(/^PING /);
    expect(lines.slice(1, 3)).toEqual(['', expect.stringMatching(/ping statistics/)]);
    expect(lines.some((l) => / bytes from /.test(l))).toBe(false);
  });

  it('PINGs until interrupted without -c, then prints the statistics and exits 0', async () => {
    const server = await FakeServer.start(serving);
    const { exitCode, report, lines } = await ping(server.port, [], { interruptAt: /seq=3 / });
    expect(exitCode).toBe(0);
    expect(report.received).toBeGreaterThanOrEqual(3);
    expect(lines).toContainEqual(expect.stringMatching(/^\d+ packets transmitted, \d+ received/));
  });

  it('exits 1 when interrupted before any reply came', async () => {
    const server = await FakeServer.start(() => undefined);
    const { exitCode, report } = await ping(server.port, [], { interruptAt: /^PING / });
    expect(exitCode).toBe(1);
    expect(report.received).toBe(0);
  });

  it('stops at the -w deadline however many were sent, and exits 1 when none came back', async () => {
    const server = await FakeServer.start(() => undefined);
    const { exitCode, report } = await ping(server.port, ['-w', '0.2', '-i', '0.02']);
    expect(exitCode).toBe(1);
    expect(report.sent).toBeGreaterThan(1);
  });

  it('with -c and -w, sends past -c until that many replies came, as ping(8) does', async () => {
    let n = 0;
    const everyOther: Responder = (request, raw) => (n++ % 2 === 0 ? serving(request, raw) : undefined);
    const server = await FakeServer.start(everyOther);
    // 0.2 s apart, so the third reply ends the run before a fourth PING is due.
    const { exitCode, report } = await ping(server.port, ['-c', '2', '-w', '10', '-i', '0.2']);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ sent: 3, received: 2 });
  });

  it('with -c and -w, exits 1 when fewer than -c replies came by the deadline', async () => {
    let n = 0;
    const firstOnly: Responder = (request, raw) => (n++ === 0 ? serving(request, raw) : undefined);
    const server = await FakeServer.start(firstOnly);
    const { exitCode, report } = await ping(server.port, ['-c', '2', '-w', '0.2', '-i', '0.02']);
    expect(exitCode).toBe(1);
    expect(report.received).toBe(1);
  });

  it('pings an IPv6 server', async () => {
    const server = await UdpClient.open({ host: '::1' });
    server.socket.on('message', (m: Buffer, r) => {
      m[3] = 0x81;
      server.socket.send(m, r.port, r.address);
    });
    const { report } = await ping(server.port, ['::1', '-c', '1']);
    expect(report).toMatchObject({ target: expect.stringMatching(/^\[::1\]:\d+$/), address: '::1', received: 1 });
  });

  it('sends well-formed PINGs with distinct ids', async () => {
    const server = await FakeServer.start(serving);
    await ping(server.port, ['-c', '5', '-s', '0']);
    const ids = server.requests.map((r) => r.requestId);
    expect(new Set(ids).size).toBe(5);
    expect(encode(server.requests[0]!)).toHaveLength(8);
  });

  it('throws a coded error for an address it cannot send to', async () => {
    await expect(ping(9999, ['255.255.255.255', '-c', '1'])).rejects.toMatchObject({
      code: 'UDP_ERR_PROBE_UNREACHABLE',
      message: expect.stringMatching(/^Cannot send to 255\.255\.255\.255:9999: EACCES: not allowed/),
    });
  });
});
