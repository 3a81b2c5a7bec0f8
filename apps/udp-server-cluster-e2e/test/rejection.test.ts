import { describeInCluster } from './cluster-env';
import { helm, helmOk, inNamespace, nodePortOf, releaseArgs, serverPods } from './kube';
import { pingCount, startLoad } from './udp-load';

// 7 of the cluster tests: what only a real API server knows rejects the release (the chart's schema cannot know
// the cluster's NodePort range, which ports are taken, or the API's own validation), and a failed upgrade is
// rolled back to the release that serves.

describeInCluster('values only the API server can judge', () => {
  const namespace = 'e2e-reject';

  inNamespace(namespace);

  const refusals: readonly (readonly [
    what: string,
    set: Record<string, string | number | boolean>,
    message: RegExp,
  ])[] = [
    [
      'a nodePort outside the cluster’s range',
      { 'service.type': 'NodePort', 'service.nodePort': 29999 },
      /provided port is not in the valid range/,
    ],
    [
      'a pod label value the API does not allow',
      { 'podLabels.team': 'not a valid label!' },
      /a valid label must be an empty string or consist of alphanumeric characters/,
    ],
    [
      'a CPU request above its limit',
      { 'resources.requests.cpu': '2', 'resources.limits.cpu': '1' },
      /must be less than or equal to cpu limit/,
    ],
  ];

  it.each(refusals)(
    'refuses %s with the API server’s reason; with --rollback-on-failure nothing is left running',
    async (_what, set, message) => {
      try {
        // The objects before the refused one are created (helm applies them in order): only the rollback
        // removes them again, which is why the deploy tool always passes it.
        const result = await helm([
          ...releaseArgs({ release: 'bad', namespace, set, timeout: '1m' }),
          '--rollback-on-failure',
        ]);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(message);
        expect((await helm(['status', 'bad', '--namespace', namespace])).code).not.toBe(0);
        expect((await serverPods(namespace, 'bad')).filter((pod) => !pod.deleting)).toEqual([]);
      } finally {
        await helm(['uninstall', 'bad', '--namespace', namespace, '--wait']);
      }
    },
  );

  it('refuses a second release on a NodePort the first one holds', async () => {
    const set = { 'service.type': 'NodePort', 'service.nodePort': 30990 };
    try {
      await helmOk(releaseArgs({ release: 'first', namespace, set }));
      const second = await helm(releaseArgs({ release: 'second', namespace, set, timeout: '1m' }));
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/provided port is already allocated/);
    } finally {
      await helm(['uninstall', 'second', '--namespace', namespace, '--wait']);
      await helm(['uninstall', 'first', '--namespace', namespace, '--wait']);
    }
  });

  it('rolls a failed upgrade back to the serving release, which answers throughout', async () => {
    const release = 'rollback';
    const good = { 'service.type': 'NodePort', 'autoscaling.enabled': false, replicaCount: 2 };
    await helmOk(releaseArgs({ release, namespace, set: good }));
    const port = await nodePortOf(namespace, `${release}-udp-server`);
    const servingImage = (await serverPods(namespace, release))[0]!.image;
    const load = await startLoad({ host: '127.0.0.1', port, sockets: 8, ratePerSecond: 200 });
    let report;
    try {
      // An image that exists nowhere: the new pods never start, so the rollout never completes.
      const failed = await helm(
        releaseArgs({
          release,
          namespace,
          upgrade: true,
          set: { ...good, 'image.tag': 'does-not-exist' },
          timeout: '40s',
        }),
      );
      expect(failed.code).not.toBe(0);
      await helmOk(['rollback', release, '1', '--namespace', namespace, '--wait', '--timeout', '2m']);
    } finally {
      report = await load.stop();
    }
    const history = await helmOk(['history', release, '--namespace', namespace, '--output', 'json']);
    const revisions = JSON.parse(history.stdout) as { revision: number; status: string }[];
    expect(revisions.map((r) => r.status)).toEqual(['superseded', 'failed', 'deployed']);
    const pods = await serverPods(namespace, release);
    expect(pods.filter((pod) => !pod.deleting).every((pod) => pod.ready && pod.image === servingImage)).toBe(true);
    expect(report.lost).toBe(0);
    expect(await pingCount('127.0.0.1', port, 10)).toBe(10);
  });
});
