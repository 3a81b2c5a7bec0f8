// The multi-arch image: built for linux/amd64 and linux/arm64 by the same script as
// `RICOCHET_PLATFORMS=linux/amd64,linux/arm64 nx run udp-server:docker`, pushed as one OCI index to a real registry
// (tools/registry, on loopback), and each platform's image run as Kubernetes runs it: the arm64 one under qemu
// emulation (binfmt.ts registers it, and removes what it registered).
//
// Offline, the base is a two-platform stand-in under a name of this run's own (tools/offline/base-image-stand-in.mjs
// --arch amd64,arm64: arm64 Node from npm, its libraries from Debian, cached in ~/.cache/ricochet/stand-in).
// Emulation is 5-20 times slower, so every wait scales by SLOWDOWN; nothing sleeps. Needs root (binfmt_misc),
// podman, helm, skopeo, docker-registry, qemu-user-static, readelf, dpkg-deb and the arm64 cross compiler for the
// batched-udp addon (node tools/workspace/bootstrap.mjs apt). Under CI=true a missing one fails the suite; elsewhere it skips.
import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deferCleanup, describeIf, freePort, makeTempDir, requireTools, run, runOk } from '@ricochet/testing';
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
import { QEMU_AARCH64_RULE, ensureAarch64Emulation, type Emulation } from './binfmt';
import {
  expectChartProbesPass,
  expectHardenedIdentity,
  expectOnlyJsonLogs,
  expectBatchedSocketIo,
  expectOnlyTheBundlesAdded,
  expectPongFromHost,
  expectSigtermDrain,
  runHardened,
  type DrainTimings,
  type HardenedContainer,
} from './hardened-run';

const DRAIN_SECONDS = 3;
/** How much longer than natively an arm64 run may take here: qemu-user on a loaded 2-core machine. */
const SLOWDOWN = 10;
const REPORT = join(ROOT, 'reports', 'container', 'udp-server-multiarch.json');
const ADDON_SCRIPT = join(ROOT, 'libs', 'batched-udp', 'scripts', 'build-native.mjs');
const REGISTRY_CLI = [
  join(ROOT, 'tools', 'workspace', 'run-ts.mjs'),
  join(ROOT, 'tools', 'registry', 'src', 'main.ts'),
];

/** Each platform as the build names it, Node's name for its CPU, and how slowly it runs here. */
const PLATFORMS = [
  { platform: 'linux/arm64', nodeArch: 'arm64', slowdown: SLOWDOWN },
  { platform: 'linux/amd64', nodeArch: 'x64', slowdown: 1 },
] as const;

interface PlatformRecord {
  platform: string;
  image: string;
  id: string;
  sizeBytes: number;
  digest: string;
}
interface BuildRecord {
  image: string;
  kind: string;
  repository: string;
  tag: string;
  digest: string;
  pushed: boolean;
  standInBase: boolean;
  buildSeconds: number;
  platforms: PlatformRecord[];
}

const unique = `${process.pid}-${randomUUID().slice(0, 8)}`;
// Short names, as `nx run udp-server:docker` uses (udp-server:<sha>): podman stores them as localhost/…
const baseName = `ricochet-e2e-base:${unique}`;
const timings: Record<string, number> = {};
const runs: Record<string, { startMs: number; drain?: DrainTimings; probes: HardenedContainer['probeTimings'] }> = {};

let chart: ChartContainer;
let emulation: Emulation;
let certDir: string;
let build: BuildRecord;

/** Runs `step`, and records how long it took under `name`. */
async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

/** The registry of tools/registry, on a free port with its state in a temp dir; stopped when the file ends. */
async function startRegistry(): Promise<{ address: string; caFile: string }> {
  const env = {
    ...process.env,
    RICOCHET_REGISTRY_DIR: join(makeTempDir('multiarch-registry'), 'state'),
    RICOCHET_REGISTRY_PORT: String(await freePort({ protocol: 'tcp' })),
  };
  deferCleanup(async () => void (await run(process.execPath, [...REGISTRY_CLI, 'down'], { cwd: ROOT, env })));
  const up = await runOk(process.execPath, [...REGISTRY_CLI, 'up'], { cwd: ROOT, env, timeoutMs: 60_000 });
  const setting = (name: string): string => {
    const value = new RegExp(`^export ${name}=(\\S+)$`, 'm').exec(up.stdout)?.[1];
    if (value === undefined) throw new Error(`registry up printed no ${name}:\n${up.stdout}`);
    return value;
  };
  return { address: setting('RICOCHET_REGISTRY'), caFile: setting('RICOCHET_REGISTRY_CA_FILE') };
}

/** Removes the manifest list `image` and its platform images (<image>-<arch>) when the test file ends. */
const removeListWhenDone = (image: string): void =>
  void deferCleanup(async () => {
    await podman(['manifest', 'rm', image]);
    await podman(['rmi', ...PLATFORMS.map(({ platform }) => `${image}-${platform.split('/')[1]}`)]);
  });

/** `skopeo inspect --raw` of a reference in the test's registry: the exact bytes it serves. */
const rawManifest = async (ref: string): Promise<string> =>
  (await runOk('skopeo', ['inspect', '--raw', '--cert-dir', certDir, `docker://${ref}`])).stdout;

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

const canRun: [boolean, string] =
  process.getuid?.() === 0
    ? existsSync(QEMU_AARCH64_RULE)
      ? requireTools('podman', 'helm', 'skopeo', 'docker-registry', 'readelf', 'dpkg-deb', 'aarch64-linux-gnu-gcc')
      : [false, `no ${QEMU_AARCH64_RULE}: qemu-user-static is not installed (node tools/workspace/bootstrap.mjs apt)`]
    : [false, 'registering qemu with binfmt_misc needs root'];

describeIf(...canRun)('the multi-arch image (linux/amd64 and linux/arm64)', () => {
  beforeAll(async () => {
    chart = await renderChartContainer();
    emulation = await ensureAarch64Emulation();
    const registry = await timed('registryUpMs', startRegistry);
    certDir = makeTempDir('multiarch-certs');
    copyFileSync(registry.caFile, join(certDir, 'ca.crt'));

    deferCleanup(
      async () => void (await run(process.execPath, [STAND_IN_SCRIPT, '--remove', '--name', baseName], IN_REPO)),
    );
    await timed('standInMs', () =>
      runOk(process.execPath, [STAND_IN_SCRIPT, '--name', baseName, '--arch', 'amd64,arm64'], {
        ...IN_REPO,
        timeoutMs: 600_000,
      }),
    );

    // The addon of every platform: the host's is built with the server; the other is cross-compiled.
    const foreign = PLATFORMS.filter(({ nodeArch }) => nodeArch !== process.arch).map(({ platform }) => platform);
    await timed('addonMs', () =>
      runOk(process.execPath, [ADDON_SCRIPT, '--arch', foreign.map((one) => one.split('/')[1]).join(',')], {
        ...IN_REPO,
        timeoutMs: 120_000,
      }),
    );

    const image = `${registry.address}/ricochet-e2e/udp-server:${unique}`;
    removeListWhenDone(image);
    const recordFile = join(makeTempDir('multiarch-record'), 'image.json');
    const buildEnv: NodeJS.ProcessEnv = {
      ...PODMAN_ENV,
      RICOCHET_REGISTRY_CA_FILE: registry.caFile,
      // The stand-in base is all this machine has; the record says so.
      RICOCHET_PUSH_STAND_IN_BASE: '1',
    };
    delete buildEnv['RICOCHET_REGISTRY'];
    delete buildEnv['RICOCHET_PLATFORMS'];
    const built = await timed('buildAndPushMs', () =>
      run(
        process.execPath,
        [
          BUILD_SCRIPT,
          ...['--engine', 'podman', '--platform', 'linux/amd64,linux/arm64', '--base-image', baseName],
          ...['--pull', 'never', '--push', '--allow-uncommitted', '--image', image, '--output', recordFile],
        ],
        { cwd: ROOT, env: buildEnv, timeoutMs: 300_000 },
      ),
    );
    if (built.code !== 0) throw new Error(`building the image failed (exit ${built.code}):\n${built.stderr}`);
    expect(built.stdout).toBe(`${image}\n`);
    build = JSON.parse(readFileSync(recordFile, 'utf8')) as BuildRecord;
  }, 900_000);

  afterAll(() => {
    mkdirSync(join(REPORT, '..'), { recursive: true });
    const report = { emulation, timings, build, runs };
    writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`multi-arch report: ${REPORT}\n${JSON.stringify({ emulation, timings }, null, 2)}`);
  });

  it('records one index and, per platform, the image built for it and the digest the registry stored', () => {
    expect(build).toMatchObject({
      kind: 'index',
      pushed: true,
      standInBase: true,
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(build.platforms.map(({ platform }) => platform)).toEqual(['linux/amd64', 'linux/arm64']);
    for (const one of build.platforms) {
      expect(one).toEqual({
        platform: one.platform,
        image: `${build.image}-${one.platform.split('/')[1]}`,
        id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        sizeBytes: expect.any(Number),
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
    }
  });

  it('is in the registry as one OCI index, under the tag and the recorded digest, listing both platforms', async () => {
    const byDigest = await rawManifest(`${build.repository}@${build.digest}`);
    expect(sha256(byDigest)).toBe(build.digest);
    // The tag a deployment reads names the same bytes as the digest it pins.
    expect(sha256(await rawManifest(build.image))).toBe(build.digest);
    const index = JSON.parse(byDigest) as {
      mediaType: string;
      manifests: { mediaType: string; digest: string; platform: { os: string; architecture: string } }[];
    };
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(
      index.manifests.map((entry) => ({
        platform: `${entry.platform.os}/${entry.platform.architecture}`,
        digest: entry.digest,
        mediaType: entry.mediaType,
      })),
    ).toEqual(
      build.platforms.map((one) => ({
        platform: one.platform,
        digest: one.digest,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
      })),
    );
  });

  it('holds, for each platform, exactly the image built and run here: its config is that image id', async () => {
    for (const one of build.platforms) {
      const manifest = JSON.parse(await rawManifest(`${build.repository}@${one.digest}`)) as {
        config: { digest: string };
      };
      expect({ platform: one.platform, config: manifest.config.digest }).toEqual({
        platform: one.platform,
        config: one.id,
      });
    }
  });

  it('keeps the manifest list under the tag locally too, the platform images in platform order', async () => {
    const list = JSON.parse((await podmanOk(['manifest', 'inspect', build.image])).stdout) as {
      manifests: { platform: { os: string; architecture: string } }[];
    };
    expect(list.manifests.map(({ platform }) => `${platform.os}/${platform.architecture}`)).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
  });

  it('builds the same platform images again under a short local name, as nx run udp-server:docker names them', async () => {
    const local = `ricochet-e2e-multiarch:${unique}`;
    removeListWhenDone(local);
    const recordFile = join(makeTempDir('multiarch-local'), 'image.json');
    await runOk(
      process.execPath,
      [
        BUILD_SCRIPT,
        ...['--engine', 'podman', '--platform', 'linux/amd64,linux/arm64', '--base-image', baseName],
        ...['--pull', 'never', '--no-push', '--image', local, '--output', recordFile],
      ],
      { ...IN_REPO, timeoutMs: 300_000 },
    );
    const rebuilt = JSON.parse(readFileSync(recordFile, 'utf8')) as BuildRecord;
    // Reproducible: the commit's time on every file and in the config, so the same ids as the pushed build's.
    expect(rebuilt.platforms.map(({ platform, id }) => ({ platform, id }))).toEqual(
      build.platforms.map(({ platform, id }) => ({ platform, id })),
    );
    const list = JSON.parse((await podmanOk(['manifest', 'inspect', local])).stdout) as {
      manifests: { platform: { architecture: string } }[];
    };
    expect(list.manifests.map(({ platform }) => platform.architecture)).toEqual(['amd64', 'arm64']);
  }, 300_000);

  describe.each(PLATFORMS)('its $platform image, run as Kubernetes runs it', ({ platform, nodeArch, slowdown }) => {
    let container: HardenedContainer;
    const imageOf = (): PlatformRecord => build.platforms.find((one) => one.platform === platform)!;

    beforeAll(async () => {
      const { image } = imageOf();
      const inspected = await podmanOk(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', image]);
      expect(inspected.stdout.trim()).toBe(platform);
      container = await runHardened(image, chart, {
        name: `ricochet-e2e-multiarch-${nodeArch}-${unique}`,
        // The draining checks run probe commands, each a Node start-up that takes seconds under emulation: they
        // must finish inside the drain window, or the exit kills them.
        drainSeconds: DRAIN_SECONDS * slowdown,
        slowdown,
      });
      runs[platform] = { startMs: container.startMs, probes: container.probeTimings };
    }, 30_000 * slowdown);

    it(`adds the two bundles and the ${platform} batched-udp addon under /app to its base, and nothing else`, () =>
      expectOnlyTheBundlesAdded(imageOf().image, platform));

    it('moves datagrams with the addon it carries: SOCKET_IO=auto runs batched, with no warning', () =>
      expectBatchedSocketIo(container));

    it(
      `runs ${nodeArch} Node as 65532, with no capabilities, on a read-only root`,
      () => expectHardenedIdentity(container, nodeArch),
      30_000 * slowdown,
    );

    it('answers a PING from the host with its PONG', () => expectPongFromHost(container), 30_000 * slowdown);

    it(
      "passes the chart's startup, liveness and readiness commands",
      () => expectChartProbesPass(container, chart),
      60_000 * slowdown,
    );

    it(
      'on SIGTERM drains (readiness fails, liveness and PING pass) and exits 0 on its own after the drain',
      async () => {
        runs[platform]!.drain = await expectSigtermDrain(container, chart);
      },
      90_000 * slowdown,
    );

    it('writes only JSON lines to stdout and nothing to stderr', () => expectOnlyJsonLogs(container));
  });
});
