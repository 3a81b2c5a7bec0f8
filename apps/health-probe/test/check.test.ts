import { loadSettings, checkSettings } from '@ricochet/config';
import { HealthStatus, MessageType, encode } from '@ricochet/protocol';
import { freePort } from '@ricochet/testing';
import { runCheck } from '../src/check';
import { FakeServer, answerUnsupportedVersion, answerWith, type Responder } from './fake-server';

const check = (port: number, ...argv: string[]) =>
  runCheck(loadSettings(checkSettings, { env: { UDP_PORT: String(port) }, argv }));

describe('health-probe check', () => {
  it('exits 0 when a serving server answers, and says what it saw', async () => {
    const server = await FakeServer.start(answerWith(HealthStatus.SERVING));
    const result = await check(server.port, '--expect', 'serving');
    expect(result.exitCode).toBe(0);
    expect(result.line).toMatch(
      /^serving: 127\.0\.0\.1:\d+ answered SERVING \(server fake-1, up 7 s\) in [\d.]+ ms \(attempt 1\)$/,
    );
  });

  it('sends one padded HEALTH request, so the reply fits', async () => {
    const server = await FakeServer.start(answerWith(HealthStatus.SERVING));
    await check(server.port);
    expect(server.requests).toEqual([expect.objectContaining({ type: MessageType.HEALTH, paddingBytes: 38 })]);
  });

  it('exits 1 when a draining server is asked to be serving', async () => {
    const server = await FakeServer.start(answerWith(HealthStatus.DRAINING));
    const result = await check(server.port, '--expect', 'serving');
    expect(result).toEqual({ exitCode: 1, line: expect.stringMatching(/^not serving: .* answered DRAINING/) });
  });

  it('exits 0 for a draining server when only liveness is asked', async () => {
    const server = await FakeServer.start(answerWith(HealthStatus.DRAINING));
    expect((await check(server.port, '--expect', 'alive')).exitCode).toBe(0);
  });

  it('treats an ERROR reply as alive but not serving', async () => {
    const server = await FakeServer.start(answerUnsupportedVersion);
    expect((await check(server.port, '--expect', 'alive')).exitCode).toBe(0);
    const serving = await check(server.port, '--expect', 'serving');
    expect(serving).toEqual({ exitCode: 1, line: expect.stringMatching(/ERROR UNSUPPORTED_VERSION/) });
  });

  it('exits 2 when nothing listens, naming the refusal', async () => {
    const result = await check(await freePort(), '--timeout-ms', '300');
    expect(result.exitCode).toBe(2);
    expect(result.line).toMatch(
      /^no answer: 127\.0\.0\.1:\d+ gave no valid reply to \d+ HEALTH requests in 300 ms \(ECONNREFUSED/,
    );
  });

  it('retries within the timeout when a request is lost', async () => {
    let seen = 0;
    const dropFirst: Responder = (request, raw) =>
      ++seen === 1 ? undefined : answerWith(HealthStatus.SERVING)(request, raw);
    const server = await FakeServer.start(dropFirst);
    const result = await check(server.port, '--timeout-ms', '800');
    expect(result.exitCode).toBe(0);
    expect(result.line).toMatch(/\(attempt 2\)$/);
    expect(server.requests.map((r) => r.requestId)).toEqual([
      server.requests[0]!.requestId,
      (server.requests[0]!.requestId + 1) >>> 0,
    ]);
  });

  it('ignores garbage and answers to other request ids, then accepts the real answer', async () => {
    const noisy: Responder = (request, raw) => [
      Buffer.from('not ricochet'),
      encode({
        type: MessageType.HEALTH_STATUS,
        requestId: (request.requestId + 99) >>> 0,
        status: HealthStatus.DRAINING,
        uptimeSeconds: 0,
        serverVersion: '',
      }),
      ...(answerWith(HealthStatus.SERVING)(request, raw) ?? []),
    ];
    const server = await FakeServer.start(noisy);
    expect((await check(server.port, '--expect', 'serving')).exitCode).toBe(0);
  });

  it('exits 2 when the server stays silent', async () => {
    const server = await FakeServer.start(() => undefined);
    const result = await check(server.port, '--timeout-ms', '200');
    expect(result).toEqual({
      exitCode: 2,
      line: expect.stringMatching(/no valid reply to 4 HEALTH requests in 200 ms \(no reply\)$/),
    });
  });
});
