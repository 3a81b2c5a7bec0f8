import { describeInCluster } from './cluster-env';
import {
  getJson,
  helmOk,
  inNamespace,
  kubectl,
  kubectlOk,
  nodePortOf,
  releaseArgs,
  serverPods,
  watchPods,
} from './kube';
import { startLoad } from './udp-load';

// 5 of the cluster tests: losing one replica. A `kubectl delete pod` under load leaves the other answering all
// along; the PodDisruptionBudget lets one eviction through and refuses the one that would leave no pod.

interface PdbJson {
  status: { disruptionsAllowed: number; currentHealthy: number; expectedPods: number };
}

describeInCluster('losing a replica', () => {
  const namespace = 'e2e-disruption';
  const release = 'dis';
  const values = { 'service.type': 'NodePort', 'autoscaling.enabled': false, replicaCount: 2 };

  inNamespace(namespace, { each: true });

  beforeEach(async () => {
    await helmOk(releaseArgs({ release, namespace, set: values }));
  }, 300_000);

  it('keeps answering through a kubectl delete pod: never a silent second, no datagram lost', async () => {
    const port = await nodePortOf(namespace, `${release}-udp-server`);
    const [victim] = await serverPods(namespace, release);
    const pods = watchPods(namespace, `app.kubernetes.io/instance=${release}`);
    const load = await startLoad({
      host: '127.0.0.1',
      port,
      sockets: 16,
      ratePerSecond: 400,
    });
    let report;
    try {
      await kubectlOk(['-n', namespace, 'delete', 'pod', victim!.name, '--wait=false']);
      // Until the deleted pod is gone and its replacement is Ready.
      await pods.until(
        (events) =>
          events.some((e) => e.type === 'DELETED' && e.object.name === victim!.name) &&
          events.some(
            (e) => e.object.name !== victim!.name && e.object.ready && !e.object.deleting && e.at > events[0]!.at,
          ),
        90_000,
      );
    } finally {
      report = await load.stop();
      pods.stop();
    }
    console.log(`kubectl delete pod under load: ${JSON.stringify({ ...report, lostAt: report.lostAt.slice(0, 20) })}`);
    expect(report.sent).toBeGreaterThan(1000);
    expect(report.longestSilenceMs).toBeLessThan(1000);
    expect(report.lost).toBe(0);
  });

  it('lets one eviction through and refuses a second while the first replacement is not Ready', async () => {
    const pdbName = `${release}-udp-server`;
    const pdb = await getJson<PdbJson>(namespace, 'poddisruptionbudget', pdbName);
    expect(pdb.status).toMatchObject({ currentHealthy: 2, expectedPods: 2, disruptionsAllowed: 1 });
    const [first, second] = await serverPods(namespace, release);
    const evict = (pod: string) =>
      kubectl(
        ['create', '--raw', `/api/v1/namespaces/${namespace}/pods/${pod}/eviction`, '-f', '-'],
        JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } }),
      );
    const allowed = await evict(first!.name);
    expect(allowed.code).toBe(0);
    const refused = await evict(second!.name);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/disruption budget|TooManyRequests|429/i);
    // The refused pod still serves.
    expect((await serverPods(namespace, release)).find((pod) => pod.name === second!.name)).toMatchObject({
      ready: true,
      deleting: false,
    });
  });
});
