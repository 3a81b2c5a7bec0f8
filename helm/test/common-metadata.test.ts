import type { IDeploymentSpec } from 'kubernetes-models/apps/v1';
import type { IPodSpec } from 'kubernetes-models/v1';
import { FULLNAME, type Manifest, named, one, render, renderError } from './helpers';

const EXTENSIONS = 'ci/12-extensions-values.yaml';
const COMMON_LABELS = { team: 'edge', 'cost-centre': 'cc-4711' };
const COMMON_ANNOTATIONS = { 'owner.example.com/contact': 'edge-oncall@example.com' };

type Deployment = Manifest & { spec: IDeploymentSpec & { template: { spec: IPodSpec } } };

/** Every label selector in a rendered object, wherever the chart writes one. */
function selectors(manifest: Manifest): Record<string, string>[] {
  const spec = (manifest['spec'] ?? {}) as Record<string, unknown>;
  const found: unknown[] = [];
  if (manifest.kind === 'Service') found.push(spec['selector']);
  if (manifest.kind === 'NetworkPolicy') found.push((spec['podSelector'] as { matchLabels: unknown }).matchLabels);
  const selector = spec['selector'] as { matchLabels?: unknown } | undefined;
  if (selector?.matchLabels) found.push(selector.matchLabels);
  const pod = (spec['template'] as { spec?: IPodSpec } | undefined)?.spec;
  for (const constraint of pod?.topologySpreadConstraints ?? []) found.push(constraint.labelSelector?.matchLabels);
  for (const term of pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
    found.push(term.labelSelector?.matchLabels);
  return found.filter((s): s is Record<string, string> => s !== undefined);
}

describe('commonLabels and commonAnnotations', () => {
  const manifests = render({ valuesFiles: [EXTENSIONS] });

  it('render every kind the chart has, so the checks below cover them all', () => {
    expect([...new Set(manifests.map((m) => m.kind))].sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'Pod',
      'PodDisruptionBudget',
      'PrometheusRule',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
    ]);
  });

  it('are on every object, the helm test pod, ServiceMonitor, PrometheusRule and dashboard ConfigMap included', () => {
    // Where an object has a team label of its own (service.labels, an extra manifest's), it wins.
    const ownTeam: Record<string, string> = { [`Service/${FULLNAME}`]: 'edge-public', 'ConfigMap/edge-geoip': 'geo' };
    for (const { kind, metadata } of manifests) {
      const id = `${kind}/${metadata.name}`;
      expect({ id, labels: metadata.labels }).toEqual({
        id,
        labels: expect.objectContaining({ ...COMMON_LABELS, team: ownTeam[id] ?? COMMON_LABELS.team }),
      });
      expect({ id, annotations: metadata.annotations }).toEqual({
        id,
        annotations: expect.objectContaining(COMMON_ANNOTATIONS),
      });
    }
  });

  it('label the pods, but leave their annotations to podAnnotations (a change would roll them)', () => {
    const template = one<Deployment>(manifests, 'Deployment').spec.template.metadata!;
    expect(template.labels).toMatchObject(COMMON_LABELS);
    expect(Object.keys(template.annotations ?? {})).toEqual(['checksum/config']);
  });

  it('never enter a selector', () => {
    const all = manifests.flatMap(selectors);
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const selector of all) for (const key of Object.keys(COMMON_LABELS)) expect(selector).not.toHaveProperty(key);
  });

  it("lose to an object's own labels and annotations, and keep the helm hook annotations of the test pod", () => {
    const service = named(manifests, 'Service', FULLNAME);
    expect(service.metadata.labels?.['team']).toBe('edge-public');
    const overridden = render({
      values: {
        commonAnnotations: { 'helm.sh/hook': 'pre-install', a: 'common' },
        service: { annotations: { a: 'own' } },
      },
    });
    expect(named(overridden, 'Service', FULLNAME).metadata.annotations).toEqual({
      'helm.sh/hook': 'pre-install',
      a: 'own',
    });
    expect(one(overridden, 'Pod').metadata.annotations?.['helm.sh/hook']).toBe('test');
  });

  it('renders no annotations where neither common nor own ones are set', () => {
    for (const m of render().filter((m) => m.kind !== 'Pod')) expect(m.metadata).not.toHaveProperty('annotations');
  });

  it.each(['app.kubernetes.io/name', 'app.kubernetes.io/version', 'app.kubernetes.io/component', 'helm.sh/chart'])(
    'fails when commonLabels sets %s, one of the chart’s own labels',
    (key) => {
      expect(renderError({ values: { commonLabels: { [key]: 'x' } } })).toContain(
        `commonLabels sets ${key}, a label the chart sets on its objects itself`,
      );
    },
  );
});
