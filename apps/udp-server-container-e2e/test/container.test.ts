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
import { deferCleanup, describeIf, makeTempDir, requireTools, run, runOk } from '@ricochet/testing';
import {
  BUILD_SCRIPT,
  IN_REPO,
  PODMAN_ENV,
  ROOT,
  STAND_IN_SCRIPT,
  podman,
  podmanOk,
  renderChartContainer,
  type ChartContainer,
} from './container-helpers';
import {
  expectChartProbesPass,
  expectHardenedIdentity,
  expectOnlyJsonLogs,
  HOST_PLATFORM,
  expectBatchedSocketIo,
  expectOnlyTheBundlesAdded,
  expectPongFromHost,
  expectSigtermDrain,
  runHardened,
  type HardenedContainer,
} from './hardened-run';

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
  kind: string;
  platforms: { platform: string; image: string; id: string }[];
}

const unique = `${process.pid}-${randomUUID().slice(0, 8)}`;
const imageRef = `localhost/ricochet-e2e-udp-server:${unique}`;
const containerName = `ricochet-e2e-udp-server-${unique}`;

let build: BuildRecord;
let chart: ChartContainer;
let container: HardenedContainer;

describeIf(...requireTools('podman', 'helm'))('the udp-server image under podman', () => {
  beforeAll(async () => {
    // Chart first: it is the cheapest thing to fail on.
    chart = await renderChartContainer();

    const created = await runOk(process.execPath, [STAND_IN_SCRIPT, '--if-missing', '--engine', 'podman'], IN_REPO);
    const standIn = JSON.parse(created.stdout) as { image: string; created: boolean };
    // The stand-in goes too when this test made it: an image under the real base's name must not outlive the test.
    if (standIn.created) deferCleanup(async () => void (await podman(['rmi', standIn.image])));

    // The Dockerfile's own base, and no repository: nothing is pushed from a test.
    const buildEnv: NodeJS.ProcessEnv = { ...PODMAN_ENV };
    delete buildEnv['RICOCHET_BASE_IMAGE'];
    delete buildEnv['RICOCHET_REGISTRY'];
    delete buildEnv['RICOCHET_PLATFORMS'];
    const recordFile = join(makeTempDir('container-e2e'), 'image.json');
    deferCleanup(async () => void (await podman(['rmi', imageRef])));
    const built = await run(
      process.execPath,
      [BUILD_SCRIPT, '--engine', 'podman', '--image', imageRef, '--pull', 'never', '--no-push', '--output', recordFile],
      { cwd: ROOT, env: buildEnv },
    );
    if (built.code !== 0) throw new Error(`building the image failed (exit ${built.code}):\n${built.stderr}`);
    expect(built.stdout).toBe(`${imageRef}\n`);
    build = JSON.parse(readFileSync(recordFile, 'utf8')) as BuildRecord;
    console.log(
      `image ${imageRef}: ${(build.sizeBytes / 1e6).toFixed(1)} MB, ${(build.addedBytes / 1e3).toFixed(1)} kB over its base ` +
        `${build.baseImage} (${(build.baseSizeBytes / 1e6).toFixed(1)} MB); built in ${build.buildSeconds} s`,
    );

    container = await runHardened(imageRef, chart, { name: containerName, drainSeconds: DRAIN_SECONDS });
  }, 120_000);

  afterAll(() => {
    if (build) {
      mkdirSync(join(REPORT, '..'), { recursive: true });
      const probes = container?.probeTimings ?? {};
      writeFileSync(REPORT, `${JSON.stringify({ image: build, env: container?.env, probes }, null, 2)}\n`);
      console.log(`container report: ${REPORT}\n${JSON.stringify(probes, null, 2)}`);
    }
  });

  it("is one image of this machine's platform, recorded as such", () => {
    expect(build).toMatchObject({
      kind: 'image',
      platforms: [{ platform: HOST_PLATFORM, image: imageRef, id: build.id }],
    });
  });

  it('adds the two bundles and the batched-udp addon under /app to its base, and nothing else', () =>
    expectOnlyTheBundlesAdded(imageRef, HOST_PLATFORM));

  it('moves datagrams with the addon it carries: SOCKET_IO=auto finds it and runs batched, with no warning', () =>
    expectBatchedSocketIo(container));

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

  it('runs as 65532 with no capabilities on a read-only root, /tmp included', () =>
    expectHardenedIdentity(container, process.arch));

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

  it('answers a PING from the host through the published UDP port with its PONG', () => expectPongFromHost(container));

  it("passes the chart's startup, liveness and readiness commands, run with podman exec", () =>
    expectChartProbesPass(container, chart));

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
    const inPod = await container.exec(['/nodejs/bin/node', ...pingThree(container.env['UDP_PORT'] ?? '9999')]);
    expect(inPod).toMatchObject(allAnswered);
    const onHost = ['run', '--rm', '--pull=never', '--network', 'host', '--entrypoint', '/nodejs/bin/node', imageRef];
    expect(await podman([...onHost, ...pingThree(String(container.hostPort))], 30_000)).toMatchObject(allAnswered);
  }, 40_000);

  it('on SIGTERM: readiness fails at once, liveness and PING still pass, and it exits 0 after the drain, within drain + 2 s', async () => {
    const { stoppedAfterMs, exitedAfterMs } = await expectSigtermDrain(container, chart);
    console.log(`SIGTERM → stopped line ${stoppedAfterMs} ms, → exit ${exitedAfterMs} ms (drain ${DRAIN_SECONDS} s)`);
  }, 90_000);

  it('writes only JSON lines to stdout, from the start line to the stop line, and nothing to stderr', () =>
    expectOnlyJsonLogs(container));

  // The same image with the other socket I/O path: what a user gets with server.socketIo=dgram.
  describe('with SOCKET_IO=dgram', () => {
    let dgram: HardenedContainer;

    beforeAll(async () => {
      dgram = await runHardened(
        imageRef,
        { ...chart, env: { ...chart.env, SOCKET_IO: 'dgram' } },
        { name: `${containerName}-dgram`, drainSeconds: DRAIN_SECONDS },
      );
    }, 60_000);

    it('serves with dgram, as asked, and says so with no warning', () => {
      const started = dgram.logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(started.find((entry) => entry['msg'] === 'listening')).toMatchObject({ socketIo: 'dgram' });
      expect(started.filter((entry) => entry['level'] !== 'info')).toEqual([]);
    });

    it('answers a PING from the host with its PONG', () => expectPongFromHost(dgram));

    it("passes the chart's probe commands", () => expectChartProbesPass(dgram, chart));

    it('drains on SIGTERM and exits 0, and logs only JSON lines', async () => {
      await expectSigtermDrain(dgram, chart);
      await expectOnlyJsonLogs(dgram);
    }, 90_000);
  });
});
