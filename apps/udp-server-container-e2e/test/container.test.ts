// The runtime image as Kubernetes runs it: built from apps/udp-server/Dockerfile by the same script as
// `nx run udp-server:docker`, run by podman read-only, as uid 65532, with every capability dropped, probed with
// the exact commands helm/udp-server renders, and stopped with SIGTERM.
//
// No registry is reachable in CI, so the Dockerfile's base image is first stood in for by a local image of the
// same name (tools/offline/base-image-stand-in.mjs); `--pull=never` makes a missing base fail at once.
// Needs podman, and helm for the chart. Under CI=true a missing one fails the suite; elsewhere it skips.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageType } from '@ricochet/protocol';
import {
  describeIf,
  freePort,
  makeTempDir,
  requireTools,
  run,
  runOk,
  type Run,
  type SpawnedProcess,
} from '@ricochet/testing';
import {
  BUILD_SCRIPT,
  IN_REPO,
  PODMAN_ENV,
  ROOT,
  STAND_IN_SCRIPT,
  expandProbeCommand,
  followLogs,
  ping,
  podman,
  podmanOk,
  renderChartContainer,
  type ChartContainer,
} from './container-helpers';

/** Shorter than the chart's default so the test stays quick; the exit must come within this plus 2 s. */
const DRAIN_SECONDS = 3;
const REPORT = join(ROOT, 'reports', 'container', 'udp-server-image.json');

interface BuildRecord {
  image: string;
  id: string;
  commit: string;
  version: string;
  baseImage: string;
  sizeBytes: number;
  baseSizeBytes: number;
  addedBytes: number;
  buildSeconds: number;
}

const unique = `${process.pid}-${randomUUID().slice(0, 8)}`;
const imageRef = `localhost/ricochet-e2e-udp-server:${unique}`;
const containerName = `ricochet-e2e-udp-server-${unique}`;

let standIn: { image: string; created: boolean } | undefined;
let imageBuilt = false;
let containerStarted = false;
let build: BuildRecord;
let chart: ChartContainer;
let containerEnv: Record<string, string>;
let hostPort: number;
let logs: SpawnedProcess | undefined;
const probeTimings: Record<string, { execMs: number; exitCode: number | null; output: string }> = {};

function exec(argv: readonly string[]): Promise<Run> {
  return podman(['exec', containerName, ...argv], 15_000);
}

async function probe(name: string, argv: readonly string[]): Promise<Run> {
  const result = await exec(expandProbeCommand(argv, containerEnv));
  probeTimings[name] = {
    execMs: Math.round(result.ms),
    exitCode: result.code,
    output: (result.stdout + result.stderr).trim(),
  };
  return result;
}

describeIf(...requireTools('podman', 'helm'))('the udp-server image under podman', () => {
  beforeAll(async () => {
    // Chart first: it is the cheapest thing to fail on.
    chart = await renderChartContainer();

    const created = await runOk(process.execPath, [STAND_IN_SCRIPT, '--if-missing', '--engine', 'podman'], IN_REPO);
    standIn = JSON.parse(created.stdout) as { image: string; created: boolean };

    // The Dockerfile's own base, and no repository: nothing is pushed from a test.
    const buildEnv: NodeJS.ProcessEnv = { ...PODMAN_ENV };
    delete buildEnv['RICOCHET_BASE_IMAGE'];
    delete buildEnv['RICOCHET_REGISTRY'];
    const recordFile = join(makeTempDir('container-e2e'), 'image.json');
    const built = await run(
      process.execPath,
      [BUILD_SCRIPT, '--engine', 'podman', '--image', imageRef, '--pull', 'never', '--no-push', '--output', recordFile],
      { cwd: ROOT, env: buildEnv },
    );
    imageBuilt = built.code === 0 || (await podman(['image', 'exists', imageRef])).code === 0;
    if (built.code !== 0) throw new Error(`building the image failed (exit ${built.code}):\n${built.stderr}`);
    expect(built.stdout).toBe(`${imageRef}\n`);
    build = JSON.parse(readFileSync(recordFile, 'utf8')) as BuildRecord;
    console.log(
      `image ${imageRef}: ${(build.sizeBytes / 1e6).toFixed(1)} MB, ${(build.addedBytes / 1e3).toFixed(1)} kB over its base ` +
        `${build.baseImage} (${(build.baseSizeBytes / 1e6).toFixed(1)} MB); built in ${build.buildSeconds} s`,
    );

    // The env the chart gives the pod (its ConfigMap and literal values); a short drain keeps the test quick.
    containerEnv = { ...chart.env, DRAIN_SECONDS: String(DRAIN_SECONDS) };
    // The image's default port unless the chart configures another.
    const containerPort = Number(containerEnv['UDP_PORT'] ?? 9999);
    hostPort = await freePort();
    containerStarted = true;
    await podmanOk([
      'run',
      '--detach',
      '--name',
      containerName,
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
      ...Object.entries(containerEnv).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
      imageRef,
    ]);
    logs = followLogs(containerName);
    await logs.waitForJson((entry) => entry['msg'] === 'listening', 15_000);
  }, 120_000);

  afterAll(async () => {
    if (containerStarted) await podman(['rm', '--force', '--time', '0', containerName]);
    if (imageBuilt) await podman(['rmi', imageRef]);
    // The stand-in goes too when this test made it: an image under the real base's name must not outlive the test.
    if (standIn?.created) await podman(['rmi', standIn.image]);
    if (build) {
      mkdirSync(join(REPORT, '..'), { recursive: true });
      writeFileSync(REPORT, `${JSON.stringify({ image: build, env: containerEnv, probes: probeTimings }, null, 2)}\n`);
      console.log(`container report: ${REPORT}\n${JSON.stringify(probeTimings, null, 2)}`);
    }
  }, 60_000);

  it('adds the two bundles under /app to its base and nothing else', async () => {
    const diff = await podmanOk(['image', 'diff', '--format', 'json', imageRef]);
    expect(JSON.parse(diff.stdout) as { added?: string[]; changed?: string[]; deleted?: string[] }).toEqual({
      added: ['/app', '/app/health-probe', '/app/health-probe/main.js', '/app/udp-server', '/app/udp-server/main.js'],
    });
  });

  it('declares the layout contract: entrypoint, user 65532, UDP 9999 and TCP 9464, OCI source, version and revision labels', async () => {
    const inspected = await podmanOk(['image', 'inspect', imageRef]);
    const [image] = JSON.parse(inspected.stdout) as [
      {
        Config: {
          Entrypoint: string[];
          Cmd?: string[] | null;
          User: string;
          ExposedPorts: Record<string, unknown>;
          Labels: Record<string, string>;
          Env: string[];
        };
      },
    ];
    expect(image.Config).toMatchObject({
      Entrypoint: ['/nodejs/bin/node', '/app/udp-server/main.js'],
      User: '65532:65532',
    });
    expect(image.Config.Cmd ?? []).toEqual([]);
    expect(Object.keys(image.Config.ExposedPorts).sort()).toEqual(['9464/tcp', '9999/udp']);
    // The source is the chart's home: one project, one address.
    const home = /^home: (\S+)$/m.exec(readFileSync(join(ROOT, 'helm', 'udp-server', 'Chart.yaml'), 'utf8'))?.[1];
    expect(image.Config.Labels).toMatchObject({
      'org.opencontainers.image.source': home,
      'org.opencontainers.image.version': '0.1.0',
      'org.opencontainers.image.revision': build.commit,
    });
    expect(build.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(image.Config.Env).toContain(`RICOCHET_COMMIT=${build.commit}`);
  });

  it('runs as 65532 with no capabilities on a read-only root, /tmp included', async () => {
    const script =
      "const fs = require('node:fs'); let write = 'written';" +
      " try { fs.writeFileSync('/tmp/probe', 'x'); } catch (err) { write = err.code; }" +
      " const caps = fs.readFileSync('/proc/self/status', 'utf8').match(/^CapEff:\\s*(\\S+)/m)[1];" +
      ' console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), write, caps }));';
    const result = await exec(['/nodejs/bin/node', '-e', script]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ uid: 65532, gid: 65532, write: 'EROFS', caps: '0000000000000000' });
  });

  it('is run by the chart as this test runs it: uid/gid 65532, read-only root, no capabilities, no escalation', () => {
    // The pod-level fields (e.g. seccompProfile) are left to the chart's own tests; these are the ones podman imitates here.
    expect(chart.securityContext).toMatchObject({
      runAsUser: 65532,
      runAsGroup: 65532,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(chart.securityContext.capabilities?.add ?? []).toEqual([]);
  });

  it('answers a PING from the host through the published UDP port with its PONG', async () => {
    const { reply, bytes } = await ping(hostPort, 0x0c0ffee);
    expect(reply).toMatchObject({ type: MessageType.PONG, requestId: 0x0c0ffee });
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x52, 0x43, 0x01, 0x81, 0x00, 0xc0, 0xff, 0xee]));
  });

  it("passes the chart's startup, liveness and readiness commands, run with podman exec", async () => {
    for (const [name, argv] of [
      ['startup', chart.startup],
      ['liveness', chart.liveness],
      ['readiness', chart.readiness],
    ] as const) {
      expect(argv.slice(0, 2)).toEqual(['/nodejs/bin/node', '/app/health-probe/main.js']);
      const result = await probe(name, argv);
      expect({ name, code: result.code, output: result.stdout + result.stderr }).toEqual({
        name,
        code: 0,
        output: expect.any(String),
      });
    }
  });

  // The recipes helm/udp-server's NOTES.txt gives (helm/test/notes.test.ts checks that it gives them): the probe
  // in a running pod (kubectl exec), and the probe from the image on the host's network (docker run).
  it('runs the NOTES recipes: ping with kubectl exec into the pod, and from the image on the host network', async () => {
    const pingThree = (port: string): string[] => [
      '/app/health-probe/main.js',
      'ping',
      '-c',
      '3',
      '-i',
      '0.1',
      '--port',
      port,
      '127.0.0.1',
    ];
    const allAnswered = {
      code: 0,
      stdout: expect.stringMatching(/\n3 packets transmitted, 3 received, 0% packet loss/),
    };
    const inPod = await exec(['/nodejs/bin/node', ...pingThree(containerEnv['UDP_PORT'] ?? '9999')]);
    expect(inPod).toMatchObject(allAnswered);
    const onHost = ['run', '--rm', '--pull=never', '--network', 'host', '--entrypoint', '/nodejs/bin/node', imageRef];
    expect(await podman([...onHost, ...pingThree(String(hostPort))], 30_000)).toMatchObject(allAnswered);
  }, 40_000);

  it('on SIGTERM: readiness fails at once, liveness and PING still pass, and it exits 0 after the drain, within drain + 2 s', async () => {
    // Timed by the server's own log lines and podman's record of the exit, not by a clock around the podman CLI:
    // on a loaded machine the CLI alone took seconds to start and report (an exit measured at 5.51 s of 5).
    const waiting = podman(['wait', containerName], (DRAIN_SECONDS + 60) * 1000);
    await podmanOk(['kill', '--signal', 'TERM', containerName]);
    const signalled = await logs!.waitForJson((entry) => entry['msg'] === 'shutdown signal received: draining', 15_000);
    await logs!.waitForJson((entry) => entry['to'] === 'draining', 15_000);

    const readiness = await probe('readiness (draining)', chart.readiness);
    expect(readiness).toMatchObject({ code: 1, stdout: expect.stringMatching(/DRAINING/) });
    expect((await probe('liveness (draining)', chart.liveness)).code).toBe(0);
    expect((await ping(hostPort, 4242)).reply).toMatchObject({ type: MessageType.PONG, requestId: 4242 });

    const exited = await waiting;
    expect({ code: exited.code, exitCode: exited.stdout.trim() }).toEqual({ code: 0, exitCode: '0' });
    const stopped = await logs!.waitForJson((entry) => entry['to'] === 'stopped', 15_000);
    const [state] = JSON.parse((await podmanOk(['container', 'inspect', containerName])).stdout) as [
      { State: { ExitCode: number; FinishedAt: string } },
    ];
    expect(state.State.ExitCode).toBe(0);
    const at = (entry: Record<string, unknown>): number => Date.parse(String(entry['time']));
    // The server's clock: it kept serving for the whole window after the signal reached it. Its timer starts in
    // whole milliseconds (libuv), so it may end up to 1 ms short of the window as two log lines measure it.
    expect(at(stopped) - at(signalled)).toBeGreaterThanOrEqual(DRAIN_SECONDS * 1000 - 1);
    // conmon's clock (the host's, as the container's): the process was gone within drain + 2 s of the signal.
    const exitedAfterMs = Date.parse(state.State.FinishedAt) - at(signalled);
    expect(exitedAfterMs).toBeGreaterThanOrEqual(DRAIN_SECONDS * 1000 - 1);
    expect(exitedAfterMs).toBeLessThan((DRAIN_SECONDS + 2) * 1000);
    console.log(
      `SIGTERM → stopped line ${at(stopped) - at(signalled)} ms, → exit ${exitedAfterMs} ms (drain ${DRAIN_SECONDS} s)`,
    );
  }, 90_000);

  it('writes only JSON lines to stdout, from the start line to the stop line, and nothing to stderr', async () => {
    // podman logs replays the container's stdout on its stdout and the container's stderr on its stderr.
    const logged = await podmanOk(['logs', containerName]);
    const lines = logged.stdout.trimEnd().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries[0]).toMatchObject({ msg: 'metrics and health endpoints listening', service: 'udp-server' });
    expect(entries.at(-1)).toMatchObject({ from: 'draining', to: 'stopped' });
    for (const entry of entries)
      expect(entry).toEqual(
        expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }),
      );
    expect(logged.stderr).toBe('');
  });
});
