// The image run as Kubernetes runs it (read-only, uid 65532, no capabilities, the chart's env) and the checks every
// platform's image must pass there: who it runs as, PING from the host, the chart's probes, the SIGTERM drain, its
// log lines. Shared by container.test.ts (this machine's platform) and multiarch.test.ts (each platform of the list).
import { MessageType } from '@ricochet/protocol';
import { deferCleanup, freePort, type Run, type SpawnedProcess } from '@ricochet/testing';
import { expandProbeCommand, followLogs, ping, podman, podmanOk, type ChartContainer } from './container-helpers';

export interface ProbeTiming {
  readonly execMs: number;
  readonly exitCode: number | null;
  readonly output: string;
}

export interface HardenedContainer {
  readonly name: string;
  readonly image: string;
  /** The loopback port its UDP port is published on. */
  readonly hostPort: number;
  /** The env it runs with: the chart's, plus the short drain. */
  readonly env: Readonly<Record<string, string>>;
  readonly drainSeconds: number;
  /** How many times slower than natively it runs here (1, or more under emulation): scales every wait. */
  readonly slowdown: number;
  /** Milliseconds from `podman run` to its "listening" log line. */
  readonly startMs: number;
  readonly logs: SpawnedProcess;
  readonly probeTimings: Record<string, ProbeTiming>;
  exec(argv: readonly string[]): Promise<Run>;
  /** Runs one of the chart's probe commands, expanded as the kubelet does, and records how long it took. */
  probe(name: string, argv: readonly string[]): Promise<Run>;
}

export interface HardenedRunOptions {
  readonly name: string;
  readonly drainSeconds: number;
  /** 1 natively; the expected slowdown under emulation (qemu). */
  readonly slowdown?: number;
}

/**
 * `podman run` of `image` with the chart's securityContext and env, UDP published on a free loopback port; resolves
 * once it logs "listening". Removed (forced) when the test file ends, whatever happened.
 */
export async function runHardened(
  image: string,
  chart: ChartContainer,
  { name, drainSeconds, slowdown = 1 }: HardenedRunOptions,
): Promise<HardenedContainer> {
  const env: Record<string, string> = { ...chart.env, DRAIN_SECONDS: String(drainSeconds) };
  // The image's default port unless the chart configures another.
  const containerPort = Number(env['UDP_PORT'] ?? 9999);
  const hostPort = await freePort();
  deferCleanup(async () => void (await podman(['rm', '--force', '--time', '0', name])));
  const started = performance.now();
  await podmanOk([
    'run',
    '--detach',
    '--name',
    name,
    '--pull=never',
    '--read-only',
    '--read-only-tmpfs=false',
    '--user',
    '65532:65532',
    '--cap-drop=ALL',
    '--security-opt',
    'no-new-privileges',
    '--publish',
    `127.0.0.1:${hostPort}:${containerPort}/udp`,
    ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    image,
  ]);
  const logs = followLogs(name);
  await logs.waitForJson((entry) => entry['msg'] === 'listening', 15_000 * slowdown);
  const startMs = Math.round(performance.now() - started);

  const probeTimings: Record<string, ProbeTiming> = {};
  const exec = (argv: readonly string[]): Promise<Run> => podman(['exec', name, ...argv], 15_000 * slowdown);
  const probe = async (probeName: string, argv: readonly string[]): Promise<Run> => {
    const result = await exec(expandProbeCommand(argv, env));
    probeTimings[probeName] = {
      execMs: Math.round(result.ms),
      exitCode: result.code,
      output: (result.stdout + result.stderr).trim(),
    };
    return result;
  };
  return { name, image, hostPort, env, drainSeconds, slowdown, startMs, logs, probeTimings, exec, probe };
}

/** This machine's platform, as the engines and OCI name it (linux/amd64, not Node's x64). */
export const HOST_PLATFORM = `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** Adds /app/{udp-server,health-probe}/main.js and the batched-udp addon of `platform`, and nothing else. */
export async function expectOnlyTheBundlesAdded(image: string, platform: string): Promise<void> {
  const diff = await podmanOk(['image', 'diff', '--format', 'json', image]);
  expect(JSON.parse(diff.stdout) as { added?: string[]; changed?: string[]; deleted?: string[] }).toEqual({
    added: [
      '/app',
      '/app/health-probe',
      '/app/health-probe/main.js',
      '/app/udp-server',
      `/app/udp-server/batched-udp.linux-${platform.split('/')[1]}.node`,
      '/app/udp-server/main.js',
    ],
  });
}

/** With the chart's SOCKET_IO=auto the server found the addon the image carries: it runs batched, with no warning. */
export function expectBatchedSocketIo(container: HardenedContainer): void {
  expect(container.env['SOCKET_IO']).toBe('auto');
  const started = container.logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(started.find((entry) => entry['msg'] === 'listening')).toMatchObject({ socketIo: 'batched' });
  expect(started.filter((entry) => entry['level'] !== 'info')).toEqual([]);
}

/** Node inside reports uid/gid 65532, no effective capabilities, EROFS on /tmp, and the CPU architecture `nodeArch`. */
export async function expectHardenedIdentity(container: HardenedContainer, nodeArch: string): Promise<void> {
  const script =
    "const fs = require('node:fs'); let write = 'written';" +
    " try { fs.writeFileSync('/tmp/probe', 'x'); } catch (err) { write = err.code; }" +
    " const caps = fs.readFileSync('/proc/self/status', 'utf8').match(/^CapEff:\\s*(\\S+)/m)[1];" +
    ' console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), write, caps, arch: process.arch }));';
  const result = await container.exec(['/nodejs/bin/node', '-e', script]);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({
    uid: 65532,
    gid: 65532,
    write: 'EROFS',
    caps: '0000000000000000',
    arch: nodeArch,
  });
}

/** A PING sent from the host to the published port gets its PONG, byte for byte. */
export async function expectPongFromHost(container: HardenedContainer): Promise<void> {
  const { reply, bytes } = await ping(container.hostPort, 0x0c0ffee);
  expect(reply).toMatchObject({ type: MessageType.PONG, requestId: 0x0c0ffee });
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x52, 0x43, 0x01, 0x81, 0x00, 0xc0, 0xff, 0xee]));
}

/** The chart's startup, liveness and readiness commands each exit 0 in the container. */
export async function expectChartProbesPass(container: HardenedContainer, chart: ChartContainer): Promise<void> {
  for (const [name, argv] of [
    ['startup', chart.startup],
    ['liveness', chart.liveness],
    ['readiness', chart.readiness],
  ] as const) {
    expect(argv.slice(0, 2)).toEqual(['/nodejs/bin/node', '/app/health-probe/main.js']);
    const result = await container.probe(name, argv);
    expect({ name, code: result.code, output: result.stdout + result.stderr }).toEqual({
      name,
      code: 0,
      output: expect.any(String),
    });
  }
}

export interface DrainTimings {
  /** From the server's "shutdown signal received" line to its "stopped" line (the server's clock). */
  readonly stoppedAfterMs: number;
  /** From that signal line to podman's State.FinishedAt (conmon's record of the exit). */
  readonly exitedAfterMs: number;
}

/**
 * On SIGTERM: readiness fails at once, liveness and PING still pass, and it exits 0 on its own after the drain,
 * within the drain plus 2 s times the slowdown. Timed by the server's own log lines and podman's record of the
 * exit, not by a clock around the podman CLI: on a loaded machine the CLI alone took seconds to start and report
 * (an exit measured at 5.51 s of 5).
 */
export async function expectSigtermDrain(container: HardenedContainer, chart: ChartContainer): Promise<DrainTimings> {
  const { name, logs, drainSeconds, slowdown } = container;
  const waitMs = 15_000 * slowdown;
  const waiting = podman(['wait', name], (drainSeconds + 60) * 1000 * slowdown);
  await podmanOk(['kill', '--signal', 'TERM', name]);
  const signalled = await logs.waitForJson((entry) => entry['msg'] === 'shutdown signal received: draining', waitMs);
  await logs.waitForJson((entry) => entry['to'] === 'draining', waitMs);

  const readiness = await container.probe('readiness (draining)', chart.readiness);
  expect(readiness).toMatchObject({ code: 1, stdout: expect.stringMatching(/DRAINING/) });
  expect((await container.probe('liveness (draining)', chart.liveness)).code).toBe(0);
  expect((await ping(container.hostPort, 4242)).reply).toMatchObject({ type: MessageType.PONG, requestId: 4242 });

  const exited = await waiting;
  expect({ code: exited.code, exitCode: exited.stdout.trim() }).toEqual({ code: 0, exitCode: '0' });
  const stopped = await logs.waitForJson((entry) => entry['to'] === 'stopped', waitMs);
  const [state] = JSON.parse((await podmanOk(['container', 'inspect', name])).stdout) as [
    { State: { ExitCode: number; FinishedAt: string } },
  ];
  expect(state.State.ExitCode).toBe(0);
  const at = (entry: Record<string, unknown>): number => Date.parse(String(entry['time']));
  // The server's clock: it kept serving for the whole window after the signal reached it. Its timer starts in
  // whole milliseconds (libuv), so it may end up to 1 ms short of the window as two log lines measure it.
  const stoppedAfterMs = at(stopped) - at(signalled);
  expect(stoppedAfterMs).toBeGreaterThanOrEqual(drainSeconds * 1000 - 1);
  // conmon's clock (the host's, as the container's): the process was gone soon after the drain.
  const exitedAfterMs = Date.parse(state.State.FinishedAt) - at(signalled);
  expect(exitedAfterMs).toBeGreaterThanOrEqual(drainSeconds * 1000 - 1);
  expect(exitedAfterMs).toBeLessThan((drainSeconds + 2 * slowdown) * 1000);
  return { stoppedAfterMs, exitedAfterMs };
}

/** Its stdout is JSON lines only, from the start line to the stop line, and its stderr is empty. */
export async function expectOnlyJsonLogs(container: HardenedContainer): Promise<void> {
  // podman logs replays the container's stdout on its stdout and the container's stderr on its stderr.
  const logged = await podmanOk(['logs', container.name]);
  const lines = logged.stdout.trimEnd().split('\n');
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries[0]).toMatchObject({ msg: 'metrics and health endpoints listening', service: 'udp-server' });
  expect(entries.at(-1)).toMatchObject({ from: 'draining', to: 'stopped' });
  for (const entry of entries)
    expect(entry).toEqual(
      expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }),
    );
  expect(logged.stderr).toBe('');
}
