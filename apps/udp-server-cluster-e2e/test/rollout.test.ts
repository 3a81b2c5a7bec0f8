import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeInCluster, ROOT } from './cluster-env';
import {
  helmOk,
  inNamespace,
  nodePortOf,
  releaseArgs,
  serverPods,
  watchEndpoints,
  watchPods,
  type EndpointSummary,
  type PodSummary,
  type WatchEvent,
} from './kube';
import { startLoad, type LoadReport } from './udp-load';

// 4 of the cluster tests: a rolling update (a helm upgrade that changes the pod template) under a steady PING
// load through the Service's NodePort. What it costs in datagrams, and how long each draining pod took to stop
// being Ready and to stop serving (what makes kube-proxy move the flows pinned to it), go to
// reports/cluster-e2e/rollout.json and the test log.

const REPORT = join(ROOT, 'reports', 'cluster-e2e', 'rollout.json');

/** ms from each pod's deletion being seen to the first event where `dropped` holds for it. */
function msUntil<T>(
  pods: readonly WatchEvent<PodSummary>[],
  events: readonly WatchEvent<T>[],
  dropped: (object: T, pod: string) => boolean,
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const deletion of pods) {
    const pod = deletion.object.name;
    if (!deletion.object.deleting || result[pod] !== undefined) continue;
    const after = events.find((event) => event.at >= deletion.at && dropped(event.object, pod));
    if (after !== undefined) result[pod] = Math.round(after.at - deletion.at);
  }
  return result;
}

const notServing = (endpoints: EndpointSummary[], pod: string): boolean =>
  !endpoints.some((endpoint) => endpoint.pod === pod && endpoint.serving);

describeInCluster('a rolling update under load', () => {
  const namespace = 'e2e-rollout';
  const release = 'roll';
  const base = { 'service.type': 'NodePort', 'autoscaling.enabled': false, replicaCount: 2 };

  inNamespace(namespace);

  beforeAll(async () => {
    await helmOk(releaseArgs({ release, namespace, set: base }));
  }, 300_000);

  it('loses no datagram while every pod is replaced: each draining pod stops serving before it stops answering', async () => {
    const port = await nodePortOf(namespace, `${release}-udp-server`);
    const before = await serverPods(namespace, release);
    const pods = watchPods(namespace, `app.kubernetes.io/instance=${release}`);
    const endpoints = watchEndpoints(namespace, `${release}-udp-server`);
    const load = await startLoad({ host: '127.0.0.1', port, sockets: 16, ratePerSecond: 400 });
    let report: LoadReport;
    const started = performance.now();
    try {
      await helmOk(
        releaseArgs({
          release,
          namespace,
          upgrade: true,
          set: { ...base, 'podAnnotations.rollout': String(Date.now()) },
        }),
      );
      // The last old pod is still draining when helm returns: keep the load on until every old pod is gone.
      await pods.until(
        (events) => before.every((old) => events.some((e) => e.type === 'DELETED' && e.object.name === old.name)),
        90_000,
      );
    } finally {
      report = await load.stop();
      pods.stop();
      endpoints.stop();
    }
    const after = await serverPods(namespace, release);
    const result = {
      rolloutMs: Math.round(performance.now() - started),
      replaced: before.map((pod) => pod.name),
      replacements: after.map((pod) => pod.name),
      podNotReadyMs: msUntil(pods.events, pods.events, (pod, name) => pod.name === name && !pod.ready),
      endpointNotServingMs: msUntil(pods.events, endpoints.events, notServing),
      load: report,
    };
    mkdirSync(join(REPORT, '..'), { recursive: true });
    writeFileSync(REPORT, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `rolling update under load: ${JSON.stringify({ ...result, load: { ...report, lostAt: report.lostAt.slice(0, 20) } })}`,
    );

    expect(after.map((pod) => pod.name).filter((name) => before.some((old) => old.name === name))).toEqual([]);
    expect(Object.keys(result.endpointNotServingMs).sort()).toEqual(before.map((pod) => pod.name).sort());
    expect(report.sent).toBeGreaterThan(1000);
    expect(report.lost).toBe(0);
  });
});
