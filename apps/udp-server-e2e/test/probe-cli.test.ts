import { UdpClient, freePort } from '@ricochet/testing';
import { runProbe, serverOver, SOCKET_IO_PATHS, spawnProbe } from './processes';

/** glibc's resolver gives up after one try of one second, so a name that does not resolve fails fast anywhere. */
const FAST_RESOLVER = { RES_OPTIONS: 'timeout:1 attempts:1' };

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describe('health-probe check against the real server', () => {
    it('exits 0 against a serving server and prints one line', async () => {
      const port = await startServer().port();
      const result = await runProbe(['check', '--port', String(port), '--expect', 'serving']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^serving: 127\.0\.0\.1:\d+ answered SERVING \(server 0\.1\.0, up \d+ s\) in [\d.]+ ms \(attempt 1\)\n$/,
      );
    });

    it('reads UDP_PORT from the environment when --port is absent, as an exec probe does', async () => {
      const port = await startServer().port();
      expect((await runProbe(['check'], { UDP_PORT: String(port) })).code).toBe(0);
    });

    it('exits 1 for --expect serving and 0 for --expect alive while the server drains', async () => {
      const server = startServer({ DRAIN_SECONDS: '3600' });
      const port = await server.port();
      server.child.kill('SIGTERM');
      await server.waitForJson((e) => e['to'] === 'draining');
      expect((await runProbe(['check', '--port', String(port), '--expect', 'serving'])).code).toBe(1);
      expect((await runProbe(['check', '--port', String(port), '--expect', 'alive'])).code).toBe(0);
    });

    it('exits 2 when nothing listens on the port', async () => {
      const result = await runProbe(['check', '--port', String(await freePort()), '--timeout-ms', '300']);
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/^no answer: .*ECONNREFUSED: nothing listens there/);
    });
  });
});

describe('health-probe command line', () => {
  it('exits 64 on bad usage and 78 on an invalid value', async () => {
    expect((await runProbe(['inspect'])).code).toBe(64);
    expect((await runProbe(['check', '--expectt', 'alive'])).code).toBe(64);
    expect((await runProbe(['ping', '10.0.0.1', '10.0.0.2'])).code).toBe(64);
    expect((await runProbe([])).code).toBe(64);
    const invalid = await runProbe(['check', '--expect', 'ready', '--timeout-ms', '5']);
    expect(invalid.code).toBe(78);
    expect(invalid.stderr).toMatch(/--timeout-ms: expected an integer from 10 to 60000, got "5"/);
    expect(invalid.stderr).toMatch(/--expect: expected one of alive, serving, got "ready"/);
  });

  it.each([
    [['check', '--timeout-ms', '-1'], /--timeout-ms: expected an integer from 10 to 60000, got "-1"/],
    [['check', '--port', '0'], /--port: expected an integer from 1 to 65535, got "0"/],
    [['ping', '999.1.1.1'], /HOST: expected an IPv4 or IPv6 address or a DNS name .*, got "999\.1\.1\.1"/],
    [['ping', '-c', '0'], /-c: expected an integer from 1 to 1000000, got "0"/],
  ])('%j exits 78 with one coded line before anything is sent or resolved', async (args, message) => {
    const result = await runProbe(args);
    expect(result).toMatchObject({ code: 78, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/ambiguous|\n\s+at /);
  });

  it.each([[['--version']], [['-V']], [['ping', '-V']]])('%j prints the version and exits 0', async (args) => {
    expect(await runProbe(args)).toMatchObject({
      code: 0,
      stdout: 'health-probe 0.1.0 (Ricochet protocol v1)\n',
      stderr: '',
    });
  });

  it.each([[['ping', '-c', '1']], [['check']]])(
    '%j exits 2 with a coded, readable error when the name does not resolve',
    async (args) => {
      const result = await runProbe([...args, '--host', 'no-such-host.invalid'], FAST_RESOLVER);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toMatch(
        /^health-probe: UDP_ERR_PROBE_RESOLVE: Cannot resolve "no-such-host\.invalid": .*\(E[A-Z_]+\)\. Check the name/,
      );
      expect(result.stderr).not.toMatch(/getaddrinfo|\n\s+at /);
    },
  );
});

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describe('health-probe ping against the real server', () => {
    it("takes the host as its argument and ping(8)'s short options, reports each reply and the statistics, exits 0", async () => {
      const port = await startServer().port();
      const result = await runProbe(['ping', '127.0.0.1', '-c', '3', '-i', '0.01', '--port', String(port)]);
      expect(result.code).toBe(0);
      expect(result.stdout.match(/^64 bytes from 127\.0\.0\.1:\d+: seq=\d time=/gm)).toHaveLength(3);
      expect(result.stdout).toMatch(
        /\n\n--- 127\.0\.0\.1:\d+ ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time \d+ms\nrtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\n/,
      );
    });

    it('exits 1 when nothing listens, and says so', async () => {
      const args = ['ping', '-c', '2', '-i', '0.01', '-W', '0.2', '--port', String(await freePort())];
      const text = await runProbe(args);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/\nno reply: ECONNREFUSED: nothing listens there \(ICMP port unreachable\)\n$/);
      const json = await runProbe([...args, '--json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        sent: 2,
        received: 0,
        lossPercent: 100,
        why: 'ECONNREFUSED: nothing listens there (ICMP port unreachable)',
      });
    });

    it('exits 1 when the server drops a payload over its default limit, and names the limit', async () => {
      const port = String(await startServer().port());
      const over = await runProbe(['ping', '-c', '2', '-i', '0.01', '-W', '0.3', '-s', '1465', '--port', port]);
      expect(over.code).toBe(1);
      expect(over.stdout).toMatch(/\nno reply: payload over the server's default limit of 1472 bytes\? /);
      expect((await runProbe(['ping', '-c', '2', '-i', '0.01', '-s', '1464', '--port', port])).code).toBe(0);
    });

    it('without -c, PINGs until SIGINT, then prints the statistics and exits 0', async () => {
      const port = await startServer().port();
      const probe = spawnProbe(['ping', '-i', '0.02', '--port', String(port)]);
      await probe.waitForLine((line) => / seq=3 /.test(line));
      probe.child.kill('SIGINT');
      expect(await probe.exited).toEqual({ code: 0, signal: null });
      const transmitted = probe.lines.find((line) => / packets transmitted, /.test(line));
      expect(transmitted).toMatch(/^\d+ packets transmitted, \d+ received, [\d.]+% packet loss, time \d+ms$/);
      expect(probe.lines).toContainEqual(expect.stringMatching(/^rtt min\/avg\/max\/mdev = /));
    });

    it('on SIGINT before any reply came, prints the statistics and exits 1', async () => {
      const silent = await UdpClient.open();
      const probe = spawnProbe(['ping', '-i', '0.02', '--port', String(silent.port)]);
      // The first line is written once the SIGINT handler is in place.
      await probe.waitForLine((line) => line.startsWith('PING '));
      await silent.receive();
      probe.child.kill('SIGINT');
      expect(await probe.exited).toEqual({ code: 1, signal: null });
      expect(probe.lines).toContainEqual(
        expect.stringMatching(/^\d+ packets transmitted, 0 received, 100% packet loss/),
      );
    });

    it('stops quietly when its reader goes away (| head), with the exit code of a process killed by SIGPIPE', async () => {
      const port = await startServer().port();
      const probe = spawnProbe(['ping', '-i', '0.02', '--port', String(port)]);
      await probe.waitForLine((line) => / seq=1 /.test(line));
      probe.child.stdout.destroy();
      expect(await probe.exited).toEqual({ code: 141, signal: null });
      expect(probe.stderr).toEqual([]);
    });
  });
});
