import { freePort } from '@ricochet/testing';
import { runProbe, startServer } from './processes';

describe('health-probe against the real server', () => {
  it('check exits 0 against a serving server and prints one line', async () => {
    const port = await startServer().port();
    const result = await runProbe(['check', '--port', String(port), '--expect', 'serving']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^serving: 127\.0\.0\.1:\d+ answered SERVING \(server 0\.1\.0, up \d+ s\) in [\d.]+ ms \(attempt 1\)\n$/,
    );
  });

  it('check reads UDP_PORT from the environment when --port is absent, as an exec probe does', async () => {
    const port = await startServer().port();
    expect((await runProbe(['check'], { UDP_PORT: String(port) })).code).toBe(0);
  });

  it('check exits 1 for --expect serving and 0 for --expect alive while the server drains', async () => {
    const server = startServer({ DRAIN_SECONDS: '3600' });
    const port = await server.port();
    server.child.kill('SIGTERM');
    await server.waitForJson((e) => e['to'] === 'draining');
    expect((await runProbe(['check', '--port', String(port), '--expect', 'serving'])).code).toBe(1);
    expect((await runProbe(['check', '--port', String(port), '--expect', 'alive'])).code).toBe(0);
  });

  it('check exits 2 when nothing listens on the port', async () => {
    const result = await runProbe(['check', '--port', String(await freePort()), '--timeout-ms', '300']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^no answer: .*ECONNREFUSED/);
  });

  it('exits 64 on bad usage and 78 on an invalid value', async () => {
    expect((await runProbe(['inspect'])).code).toBe(64);
    expect((await runProbe(['check', '--expectt', 'alive'])).code).toBe(64);
    expect((await runProbe([])).code).toBe(64);
    const invalid = await runProbe(['check', '--expect', 'ready', '--timeout-ms', '5']);
    expect(invalid.code).toBe(78);
    expect(invalid.stderr).toMatch(/--timeout-ms: expected an integer from 10 to 60000, got "5"/);
    expect(invalid.stderr).toMatch(/--expect: expected one of alive, serving, got "ready"/);
  });

  it.each([
    [['check', '--timeout-ms', '-1'], /--timeout-ms: expected an integer from 10 to 60000, got "-1"/],
    [['check', '--port', '0'], /--port: expected an integer from 1 to 65535, got "0"/],
    [['ping', '--host', '999.1.1.1'], /--host: expected an IPv4 or IPv6 address or a DNS name .*, got "999\.1\.1\.1"/],
  ])('%j exits 78 with one coded line before anything is sent or resolved', async (args, message) => {
    const result = await runProbe(args);
    expect(result).toMatchObject({ code: 78, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/ambiguous|\n\s+at /);
  });

  it('ping reports every reply and a summary, and exits 0', async () => {
    const port = await startServer().port();
    const result = await runProbe(['ping', '--port', String(port), '--count', '3', '--interval-ms', '10']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/3 sent, 3 received, 0\.0% loss/);
    expect(result.stdout.match(/^64 bytes from/gm)).toHaveLength(3);
  });

  it('ping exits non-zero when nothing came back', async () => {
    const result = await runProbe([
      'ping',
      '--port',
      String(await freePort()),
      '--count',
      '2',
      '--interval-ms',
      '10',
      '--timeout-ms',
      '100',
      '--json',
    ]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ sent: 2, received: 0, lossPercent: 100 });
  });
});
