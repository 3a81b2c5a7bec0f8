import {
  KUBE_VERSIONS,
  type Manifest,
  PROMETHEUS_OPERATOR_APIS,
  ciValuesFiles,
  render,
  validateManifest,
} from './helpers';

// Each file is rendered once per Kubernetes version and the tests below share the result: helm is the slow part.
const renders = new Map<string, Manifest[]>();
function rendered(file: string, kubeVersion: string = KUBE_VERSIONS[1]): Manifest[] {
  const key = `${file}@${kubeVersion}`;
  if (!renders.has(key))
    renders.set(key, render({ valuesFiles: [file], kubeVersion, apiVersions: PROMETHEUS_OPERATOR_APIS }));
  return renders.get(key)!;
}

// Every ci/NN-<case>-values.yaml is a supported configuration: it renders, and every object it renders is valid
// against the Kubernetes schema of its kind, on the oldest and the newest supported Kubernetes. The pretend
// cluster serves the Prometheus Operator's API, so the ServiceMonitor and PrometheusRule render where switched on.
describe.each(ciValuesFiles())('%s', (file) => {
  it.each(KUBE_VERSIONS)('renders valid Kubernetes objects on %s', (kubeVersion) => {
    const manifests = rendered(file, kubeVersion);
    expect(manifests.map((m) => m.kind)).toEqual(expect.arrayContaining(['ConfigMap', 'Service', 'Deployment']));
    for (const manifest of manifests) validateManifest(manifest);
  });

  it('labels every object with the recommended labels and keeps names within 63 characters', () => {
    for (const manifest of rendered(file)) {
      expect(manifest.metadata.labels).toEqual(
        expect.objectContaining({
          'app.kubernetes.io/instance': 'ricochet',
          'app.kubernetes.io/managed-by': 'Helm',
          'helm.sh/chart': 'udp-server-0.2.0',
        }),
      );
      expect(manifest.metadata.namespace).toBe('udp');
      expect(manifest.metadata.name.length).toBeLessThanOrEqual(63);
    }
  });
});

it('covers every optional kind in at least one ci value set', () => {
  const kinds = new Set(ciValuesFiles().flatMap((file) => rendered(file).map((m) => m.kind)));
  for (const kind of [
    'ServiceAccount',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'NetworkPolicy',
    'Pod',
    'ServiceMonitor',
    'PrometheusRule',
  ]) {
    expect({ kind, covered: kinds.has(kind) }).toEqual({ kind, covered: true });
  }
});

it('also renders values-local.yaml into valid objects', () => {
  for (const manifest of render({ valuesFiles: ['values-local.yaml'] })) validateManifest(manifest);
});
