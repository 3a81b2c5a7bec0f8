import { run, runOk } from '@ricochet/testing';
import { CLUSTER_TOOL, ENV, PODMAN_ENV, REGISTRY_TOOL, ROOT } from './cluster-env';

/**
 * Removes the image from podman, stops the registry if the global set-up started it (removing what the tests
 * pushed) and, when the global set-up brought the cluster up, brings it down: `cluster
 * down` exits non-zero when it leaves anything behind (a process, mount, bridge, chain…), which fails the run.
 */
export default async function globalTeardown(): Promise<void> {
  const repository = process.env[ENV.imageRepository];
  const tag = process.env[ENV.imageTag];
  if (repository && tag) await run('podman', ['rmi', '--force', `${repository}:${tag}`], { env: PODMAN_ENV });
  if (process.env[ENV.startedRegistry] === '1') {
    const stopped = await runOk(process.execPath, [...REGISTRY_TOOL, 'down'], { cwd: ROOT, timeoutMs: 60_000 });
    process.stderr.write(stopped.stderr);
  }
  if (process.env[ENV.startedCluster] !== '1') return;
  const result = await runOk(process.execPath, [...CLUSTER_TOOL, 'down'], { cwd: ROOT, timeoutMs: 300_000 });
  process.stderr.write(result.stderr);
}
