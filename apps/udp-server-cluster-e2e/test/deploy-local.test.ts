import { run } from '@ricochet/testing';
import { describeInCluster, ROOT, required } from './cluster-env';
import { helm, kubectl, nodePortOf } from './kube';
import { pingCount } from './udp-load';

// `nx run deploy:local` against this cluster, as a developer runs it: the deploy tool saves the image from
// podman, imports it into the node's containerd (no registry), installs the chart with values-local.yaml and
// runs `helm test`. Then UDP from the host reaches it on the fixed NodePort.

describeInCluster('deploy:local on the ricochet cluster', () => {
  const namespace = 'ricochet';
  let existed = false;

  beforeAll(async () => {
    existed = (await helm(['status', 'udp-server', '--namespace', namespace])).code === 0;
  });

  afterAll(async () => {
    // A developer's own deploy:local release is left alone.
    if (!existed)
      await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=true'], undefined, 180_000);
  }, 300_000);

  it('deploys this checkout’s image without a registry, passes helm test, and answers on its NodePort', async () => {
    const deployed = await run(
      process.execPath,
      [
        'tools/workspace/run-ts.mjs',
        'tools/deploy/src/main.ts',
        'local',
        '--cluster',
        'ricochet',
        '--allow-dirty',
        '--image-repository',
        // The name podman gave the image the global set-up built; the deploy tool saves and loads it by this name.
        required('imageRepository'),
      ],
      { cwd: ROOT, timeoutMs: 400_000 },
    );
    if (deployed.code !== 0) {
      throw new Error(`deploy local exited ${deployed.code}:\n${deployed.stderr}\n${deployed.stdout.slice(-3000)}`);
    }
    expect(deployed.stdout).toMatch(/Phase:\s+Succeeded/);
    expect(await nodePortOf(namespace, 'udp-server')).toBe(30999);
    expect(await pingCount('127.0.0.1', 30999, 10)).toBe(10);
  });
});
