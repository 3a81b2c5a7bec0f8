import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { IN_CI, makeTempDir, run, runOk } from '@ricochet/testing';
import { CLUSTER_TOOL, ENV, PODMAN_ENV, REGISTRY_TOOL, ROOT, whyCannotRun } from './cluster-env';
const say = (line: string): void => void process.stderr.write(`[cluster-e2e] ${line}\n`);

/** Runs the cluster tool with its progress shown (a cold build of the components takes minutes). */
function clusterTool(command: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLUSTER_TOOL, command], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('close', resolve);
  });
}

/** `export NAME=value` lines, as the registry tool prints them. */
const parseExports = (text: string): Record<string, string> =>
  Object.fromEntries([...text.matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]));

/**
 * The registry images and charts are published to (started unless it runs: then it is left running, as the
 * cluster is), trusted by the node's containerd as a cluster admin would make it trust a private registry.
 */
async function registryTheNodeTrusts(): Promise<void> {
  const running = await run(process.execPath, [...REGISTRY_TOOL, 'env'], { cwd: ROOT });
  if (running.code !== 0) process.env[ENV.startedRegistry] = '1';
  const settings = parseExports(
    running.code === 0
      ? running.stdout
      : (await runOk(process.execPath, [...REGISTRY_TOOL, 'up'], { cwd: ROOT, timeoutMs: 60_000 })).stdout,
  );
  const registry = settings['RICOCHET_REGISTRY'];
  const caFile = settings['RICOCHET_REGISTRY_CA_FILE'];
  if (!registry || !caFile) throw new Error(`the registry tool printed no settings: ${JSON.stringify(settings)}`);
  await runOk(process.execPath, [...CLUSTER_TOOL, 'trust-registry', registry, caFile], { cwd: ROOT });
  process.env[ENV.registry] = registry;
  process.env[ENV.registryCaFile] = caFile;
}

/**
 * Brings the cluster up unless it already runs (then it is left running), and puts the image of this checkout
 * into its containerd: built on a base stand-in of its own name, so it never races the container tests for the
 * real base's name, and left in podman for the deploy tool's test until the teardown.
 */
export default async function globalSetup(): Promise<void> {
  const cannotRun = whyCannotRun();
  if (cannotRun !== undefined && !IN_CI) {
    process.env[ENV.cannotRun] = cannotRun;
    return;
  }
  const started = performance.now();
  const alreadyUp = (await run(process.execPath, [...CLUSTER_TOOL, 'kubeconfig'], { cwd: ROOT })).code === 0;
  if (!alreadyUp) {
    say('bringing the cluster up (nx run cluster:up)');
    process.env[ENV.startedCluster] = '1';
    const code = await clusterTool('up');
    if (code !== 0) throw new Error(`cluster up failed (exit ${code}); its output is above`);
  }
  const kubeconfig = (await runOk(process.execPath, [...CLUSTER_TOOL, 'kubeconfig'], { cwd: ROOT })).stdout.trim();
  await registryTheNodeTrusts();

  const sha = (await runOk('git', ['rev-parse', 'HEAD'], { cwd: ROOT })).stdout.trim();
  const repository = 'localhost/ricochet-cluster-e2e/udp-server';
  const base = `localhost/ricochet-cluster-e2e/base:${process.pid}`;
  // Removed at once below: it holds the image archive. (makeTempDir: even a crash here leaves nothing behind.)
  const work = makeTempDir('cluster-e2e');
  try {
    await runOk(
      process.execPath,
      [join(ROOT, 'tools/offline/base-image-stand-in.mjs'), '--name', base, '--engine', 'podman'],
      {
        env: PODMAN_ENV,
        timeoutMs: 120_000,
      },
    );
    await runOk(
      process.execPath,
      [
        join(ROOT, 'apps/udp-server/docker/build-image.mjs'),
        ...['--engine', 'podman', '--base-image', base, '--pull', 'never', '--no-push'],
        ...['--image', `${repository}:${sha}`, '--output', join(work, 'image.json')],
      ],
      { env: PODMAN_ENV, timeoutMs: 120_000 },
    );
    const archive = join(work, 'image.tar');
    await runOk('podman', ['save', '--format', 'docker-archive', '-o', archive, `${repository}:${sha}`], {
      env: PODMAN_ENV,
      timeoutMs: 120_000,
    });
    await runOk(process.execPath, [...CLUSTER_TOOL, 'load-image', archive], { cwd: ROOT, timeoutMs: 300_000 });
  } finally {
    await run('podman', ['rmi', '--force', base], { env: PODMAN_ENV });
    rmSync(work, { recursive: true, force: true });
  }
  process.env[ENV.kubeconfig] = kubeconfig;
  process.env[ENV.imageRepository] = repository;
  process.env[ENV.imageTag] = sha;
  say(
    `cluster ${alreadyUp ? 'was up' : 'up'}, image ${repository}:${sha} loaded, in ${Math.round((performance.now() - started) / 1000)} s`,
  );
}
