import { loadSettings, pingSettings } from '@ricochet/config';
import { HealthStatus, MessageType, encode } from '@ricochet/protocol';
import { UdpClient, freePort } from '@ricochet/testing';
import { runPing } from '../src/ping';
import { FakeServer, answerWith, type Responder } from './fake-server';

const ping = async (port: number, ...argv: string[]) => {
  const lines: string[] = [];
  const config = loadSettings(pingSettings, { env: {}, argv: ['--port', String(port), '--interval-ms', '5', ...argv] });
  const result = await runPing(config, (text) => lines.push(...text.split('\n')));
  return { ...result, lines };
};

describe('health-probe ping', () => {
  it('prints a line per reply, then sent, received, loss and the RTT summary', async () => {
    const server = await FakeServer.start(answerWith(HealthStatus.SERVING));
    const { exitCode, lines, report } = await ping(server.port, '--count', '3', '--size', '16');
    expect(exitCode).toBe(0);
    expect(lines[0]).toMatch(/^PING 127\.0\.0\.1:\d+: 16 payload bytes, 24 bytes per datagram$/);
    expect(lines.slice(1, 4)).toEqual([
      expect.stringMatching(/^24 bytes from 127\.0\.0\.1:\d+: seq=1 time=[\d.]+ ms$/),
      expect.stringMatching(/seq=2 /),
      expect.stringMatching(/seq=3 /),
    ]);
    expect(lines[5]).toMatch(/^3 sent, 3 received, 0\.0% loss, time \d+ ms$/);
    expect(lines[6]).toMatch(/^rtt min\/avg\/p50\/p99\/max = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/);
    expect(report).toMatchObject({ sent: 3, received: 3, lossPercent: 0 });
    expect(server.requests.map((r) => r.type)).toEqual([MessageType.PING, MessageType.PING, MessageType.PING]);
  });

  it('prints one JSON summary with --json', async () => {
    const server = await FakeServer.start(answerWith(HealthStatus.SERVING));
    const { lines } = await ping(server.port, '--count', '2', '--json');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      sent: 2,
      received: 2,
      lossPercent: 0,
      rttMs: { p50: expect.any(Number) },
    });
  });

  it('counts unanswered PINGs as loss and still exits 0 when some came back', async () => {
    let n = 0;
    const everyOther: Responder = (request, raw) =>
      n++ % 2 === 0 ? answerWith(HealthStatus.SERVING)(request, raw) : undefined;
    const server = await FakeServer.start(everyOther);
    const { exitCode, report } = await ping(server.port, '--count', '4', '--timeout-ms', '200');
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ sent: 4, received: 2, lossPercent: 50 });
  });

  it('marks duplicates and ignores replies whose payload differs', async () => {
    const doubled: Responder = (request, raw) => {
      const pong = answerWith(HealthStatus.SERVING)(request, raw) ?? [];
      const corrupted = Buffer.from(pong[0]!);
      corrupted[corrupted.length - 1] ^= 0xff;
      return [corrupted, ...pong, ...pong];
    };
    const server = await FakeServer.start(doubled);
    // The run ends at the last first reply, so the second PING's duplicate is never read.
    const { lines, report } = await ping(server.port, '--count', '2', '--size', '4', '--timeout-ms', '200');
    expect(report).toMatchObject({ received: 2, duplicates: 1 });
    expect(lines.filter((l) => l.endsWith('(DUP!)'))).toHaveLength(1);
  });

  it('exits 2 when nothing came back', async () => {
    const { exitCode, report, lines } = await ping(await freePort(), '--count', '2', '--timeout-ms', '100');
    expect(exitCode).toBe(2);
    expect(report).toMatchObject({ sent: 2, received: 0, lossPercent: 100, rttMs: undefined });
    expect(lines.at(-1)).toMatch(/^2 sent, 0 received, 100\.0% loss/);
  });

  it('pings an IPv6 server', async () => {
    const server = await UdpClient.open({ host: '::1' });
    server.socket.on('message', (m: Buffer, r) => {
      m[3] = 0x81;
      server.socket.send(m, r.port, r.address);
    });
    const { report } = await ping(server.port, '--host', '::1', '--count', '1');
    expect(report).toMatchObject({ target: expect.stringMatching(/^\[::1\]:\d+$/), received: 1 });
  });

  it('sends well-formed PINGs with distinct ids', async () => {
    const server = await FakeServer.start(answerWith(HealthStatus.SERVING));
    await ping(server.port, '--count', '5', '--size', '0');
    const ids = server.requests.map((r) => r.requestId);
    expect(new Set(ids).size).toBe(5);
    expect(encode(server.requests[0]!)).toHaveLength(8);
  });
});
