import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeInCluster, CHART } from './cluster-env';
import { helm, helmOk, inNamespace, kubectl, kubectlOk, releaseArgs, serverPods } from './kube';

// 1 and 2 of the cluster tests: the chart installs on a real API server, the kubelet runs its exec probes until
// every pod is Ready, `helm test` PINGs the Service, all in a namespace that enforces the restricted Pod
// Security Standard.

const CI_VALUES = join(CHART, 'ci');

/**
 * The ci/ value sets that apply to one node without a cloud, a load-balancer controller or the Prometheus
 * Operator's CRDs, with the extra arguments they need here; the rest are named with the reason they do not apply.
 */
const APPLICABLE: Readonly<Record<string, readonly string[]>> = {
  '01-defaults-values.yaml': [],
  // Its fixed nodePort would collide with deploy:local's (30999) on a shared cluster.
  '02-nodeport-values.yaml': ['--set', 'service.nodePort=30998'],
  '05-single-replica-values.yaml': [],
  '06-networkpolicy-values.yaml': [],
  '07-minimal-values.yaml': [],
  // Its image (registry.example.com, with a pull secret) becomes ours; the rest (IPv6 wildcard bind, port 5353,
  // a 27.5 s drain, a 64 MiB receive buffer, a fullnameOverride) is tested as written.
  '08-custom-server-values.yaml': ['--set-json', 'imagePullSecrets=[]'],
  '09-observability-values.yaml': [],
  '11-plain-prometheus-values.yaml': [],
};
const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  '03-loadbalancer-values.yaml': 'no load-balancer controller here (its rendering is tested in helm/test)',
  '04-fixed-replicas-values.yaml': 'spreads over two zones with DoNotSchedule; one node has no zone',
  '10-gitops-values.yaml': 'forces a ServiceMonitor and PrometheusRule: their CRDs are not installed here',
  '12-extensions-values.yaml':
    'forces a ServiceMonitor and PrometheusRule (no CRDs here), and its sidecar and init images are not pullable',
  '13-host-network-values.yaml':
    'host-network pods break the restricted Pod Security Standard this namespace enforces, and it wants three UDP nodes',
  '14-image-registry-values.yaml':
    'its images come from a mirror registry that does not exist here (the references are tested in helm/test)',
};

async function uninstall(release: string, namespace: string): Promise<void> {
  await helm(['uninstall', release, '--namespace', namespace, '--wait', '--timeout', '2m']);
}

describeInCluster('the chart on a real cluster', () => {
  const namespace = 'e2e-install';

  // 08-custom-server-values.yaml schedules its pods with this class, which a cluster admin would have made.
  const priorityClass = {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'ricochet-high' },
    value: 1000,
  };

  inNamespace(namespace);

  beforeAll(async () => {
    await kubectlOk(['apply', '-f', '-'], JSON.stringify(priorityClass));
  }, 300_000);

  afterAll(async () => {
    await kubectl(['delete', 'priorityclass', priorityClass.metadata.name, '--ignore-not-found']);
  }, 300_000);

  it('names every ci/ value set as applicable here or not, with the reason', () => {
    const files = readdirSync(CI_VALUES).sort();
    expect([...Object.keys(APPLICABLE), ...Object.keys(NOT_APPLICABLE)].sort()).toEqual(files);
  });

  it.each(Object.entries(APPLICABLE))(
    'installs with %s: every pod Ready through its probes, helm test passes',
    async (file, extraArgs) => {
      const release = `r${file.slice(0, 2)}`;
      try {
        await helmOk([...releaseArgs({ release, namespace, valuesFiles: [join(CI_VALUES, file)] }), ...extraArgs]);
        const pods = await serverPods(namespace, release);
        expect(pods.length).toBeGreaterThan(0);
        expect(pods.filter((pod) => !pod.ready)).toEqual([]);
        if (file === '07-minimal-values.yaml') return; // test.enabled: false, and no probes to be Ready through
        const tested = await helm(['test', release, '--namespace', namespace, '--timeout', '2m']);
        expect(tested.stdout).toMatch(/Phase:\s+Succeeded/);
        expect(tested.code).toBe(0);
      } finally {
        await uninstall(release, namespace);
      }
    },
  );

  it('runs the probes as exec probes that the kubelet passed, with no probe failure recorded', async () => {
    const release = 'probes';
    try {
      await helmOk(releaseArgs({ release, namespace }));
      const deployments = JSON.parse(
        (
          await kubectlOk([
            '-n',
            namespace,
            'get',
            'deployments',
            '-l',
            `app.kubernetes.io/instance=${release}`,
            '-o',
            'json',
          ])
        ).stdout,
      ) as {
        items: { spec: { template: { spec: { containers: Record<string, { exec?: { command: string[] } }>[] } } } }[];
      };
      const container = deployments.items[0]!.spec.template.spec.containers[0]!;
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        expect(container[probe]?.exec?.command.slice(0, 3)).toEqual([
          '/nodejs/bin/node',
          '/app/health-probe/main.js',
          'check',
        ]);
      }
      const pods = await serverPods(namespace, release);
      expect(pods.every((pod) => pod.ready)).toBe(true);
      // Draining pods of other releases fail readiness on purpose; these pods must have failed no probe at all.
      const unhealthy = await kubectlOk([
        ...['-n', namespace, 'get', 'events', '--field-selector', 'reason=Unhealthy'],
        ...['-o', 'jsonpath={range .items[*]}{.involvedObject.name}{"\\n"}{end}'],
      ]);
      const names = new Set(pods.map((pod) => pod.name));
      expect(unhealthy.stdout.split('\n').filter((name) => names.has(name))).toEqual([]);
    } finally {
      await uninstall(release, namespace);
    }
  });

  it('is admitted by a namespace that enforces restricted, which does reject a pod that is not', async () => {
    const labels = JSON.parse(
      (await kubectl(['get', 'namespace', namespace, '-o', 'jsonpath={.metadata.labels}'])).stdout,
    ) as Record<string, string>;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const privileged = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'not-restricted', namespace },
      // Allowed by the API server, but not by restricted: no runAsNonRoot, no seccomp profile, capabilities kept.
      spec: { containers: [{ name: 'c', image: 'localhost/ricochet-cluster/pause:1' }] },
    };
    const refused = await kubectl(['apply', '-f', '-'], JSON.stringify(privileged));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/violates PodSecurity "restricted:latest"/);
  });
});
