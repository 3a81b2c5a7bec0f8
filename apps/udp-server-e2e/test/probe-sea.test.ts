// The single executable `nx run health-probe:sea` builds, run as a user outside a checkout would: from an empty
// directory, with no Node on PATH, against the real server bundle on loopback.
import { statSync } from 'node:fs';
import { UdpClient, freePort, makeTempDir, run, spawnProcess, type Run } from '@ricochet/testing';
import { PROBE_EXECUTABLE, startServer } from './processes';

const NO_NODE = { PATH: '/nonexistent' };
const runExecutable = (args: string[]): Promise<Run> =>
  run(PROBE_EXECUTABLE, args, { cwd: makeTempDir('probe-sea'), env: NO_NODE });

describe('the health-probe single executable', () => {
  it('is one file that runs by itself and prints its version', async () => {
    expect(statSync(PROBE_EXECUTABLE).mode & 0o111).not.toBe(0);
    expect(await runExecutable(['--version'])).toMatchObject({
      code: 0,
      stdout: 'health-probe 0.1.0 (Ricochet protocol v1)\n',
      // No "single executable applications are experimental" warning on every run.
      stderr: '',
    });
  });

  it('pings the real server with ping(8) options and exits 0', async () => {
    const port = await startServer().port();
    const result = await runExecutable(['ping', '127.0.0.1', '-c', '3', '-i', '0.01', '--port', String(port)]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /\n3 packets transmitted, 3 received, 0% packet loss, time \d+ms\nrtt min\/avg\/max\/mdev = /,
    );
  });

  it('checks the real server (exit 0), and exits 2 when nothing listens', async () => {
    const port = await startServer().port();
    const serving = await runExecutable(['check', '--port', String(port), '--expect', 'serving']);
    expect(serving).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^serving: 127\.0\.0\.1:\d+ answered SERVING/),
    });
    const nobody = await runExecutable(['check', '--port', String(await freePort()), '--timeout-ms', '200']);
    expect(nobody).toMatchObject({ code: 2, stdout: expect.stringMatching(/ECONNREFUSED: nothing listens there/) });
  });

  it('ends a ping without -c on SIGINT with the statistics, exit 1 when no reply came', async () => {
    const silent = await UdpClient.open();
    const probe = spawnProcess(PROBE_EXECUTABLE, ['ping', '-i', '0.02', '--port', String(silent.port)], {
      cwd: makeTempDir('probe-sea'),
      env: NO_NODE,
    });
    await probe.waitForLine((line) => line.startsWith('PING '));
    await silent.receive();
    probe.child.kill('SIGINT');
    expect(await probe.exited).toEqual({ code: 1, signal: null });
    expect(probe.lines).toContainEqual(expect.stringMatching(/^\d+ packets transmitted, 0 received, 100% packet loss/));
  });
});
