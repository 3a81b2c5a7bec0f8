import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART, FULLNAME, type Manifest, PROMETHEUS_OPERATOR_APIS, render } from './helpers';

// Every optional object, switched off, renders zero documents of its kind, whatever else is set. (The CoreDNS
// chart's service.yaml closed its guard early and rendered a lone key when disabled; this catches that.) Kinds
// the chart renders more than one of (Service, ConfigMap) are told apart by name. The pretend cluster serves
// the Prometheus Operator's API, and force is on: only `enabled` keeps those objects out.
const OPTIONAL: [object: string, template: string, off: Record<string, unknown>, is: (m: Manifest) => boolean][] = [
  [
    'ServiceAccount',
    'serviceaccount.yaml',
    { serviceAccount: { create: false, annotations: { a: 'b' } } },
    (m) => m.kind === 'ServiceAccount',
  ],
  [
    'HorizontalPodAutoscaler',
    'horizontalpodautoscaler.yaml',
    { autoscaling: { enabled: false, maxReplicas: 50 } },
    (m) => m.kind === 'HorizontalPodAutoscaler',
  ],
  [
    'PodDisruptionBudget',
    'poddisruptionbudget.yaml',
    { podDisruptionBudget: { enabled: false, unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
    (m) => m.kind === 'PodDisruptionBudget',
  ],
  [
    'NetworkPolicy',
    'networkpolicy.yaml',
    {
      networkPolicy: {
        enabled: false,
        udpFrom: [{ ipBlock: { cidr: '10.0.0.0/8' } }],
        metricsFrom: [{ ipBlock: { cidr: '10.0.0.0/8' } }],
      },
    },
    (m) => m.kind === 'NetworkPolicy',
  ],
  ['Pod', 'tests/test-ping.yaml', { test: { enabled: false, count: 9 } }, (m) => m.kind === 'Pod'],
  [
    'Service (metrics)',
    'service-metrics.yaml',
    { metrics: { service: { enabled: false, annotations: { a: 'b' }, labels: { c: 'd' } } } },
    (m) => m.kind === 'Service' && m.metadata.name !== FULLNAME,
  ],
  [
    'ServiceMonitor',
    'servicemonitor.yaml',
    {
      metrics: {
        serviceMonitor: {
          enabled: false,
          force: true,
          labels: { release: 'x' },
          metricRelabelings: [{ action: 'drop' }],
        },
      },
    },
    (m) => m.kind === 'ServiceMonitor',
  ],
  [
    'PrometheusRule',
    'prometheusrule.yaml',
    {
      metrics: {
        prometheusRule: { enabled: false, force: true, labels: { release: 'x' }, alertLabels: { team: 'y' } },
      },
    },
    (m) => m.kind === 'PrometheusRule',
  ],
  [
    'ConfigMap (dashboard)',
    'configmap-dashboard.yaml',
    { metrics: { grafanaDashboard: { enabled: false, folder: 'x', annotations: { a: 'b' } } } },
    (m) => m.kind === 'ConfigMap' && m.metadata.name !== FULLNAME,
  ],
];

describe('optional objects', () => {
  it.each(OPTIONAL)('%s: renders zero documents when switched off', (_object, _template, off, is) => {
    // The switch is off while the object's other settings are set: only the guard keeps it out.
    const manifests = render({ values: off, apiVersions: PROMETHEUS_OPERATOR_APIS });
    expect(manifests.filter(is)).toEqual([]);
    // No stray fragment: every document is a whole object.
    expect(manifests.every((m) => typeof m.kind === 'string' && typeof m.apiVersion === 'string')).toBe(true);
  });

  it.each(OPTIONAL)('%s: renders when switched on (the check above is not vacuous)', (_object, _template, off, is) => {
    const on = JSON.parse(
      JSON.stringify(off).replace('"enabled":false', '"enabled":true').replace('"create":false', '"create":true'),
    ) as Record<string, unknown>;
    expect(render({ values: on, apiVersions: PROMETHEUS_OPERATOR_APIS }).filter(is).length).toBeGreaterThan(0);
  });

  it.each(OPTIONAL)('%s: the whole file sits inside its guard (%s)', (_object, template) => {
    const lines = readFileSync(join(CHART, 'templates', template), 'utf8')
      .trimEnd()
      .split('\n');
    const code = lines.filter((line) => !line.startsWith('#'));
    expect(code[0]).toMatch(/^\{\{- if /);
    expect(code[code.length - 1]).toBe('{{- end }}');
  });

  it('with everything optional off, renders exactly the ConfigMap, the Service and the Deployment', () => {
    const kinds = render({ valuesFiles: ['ci/07-minimal-values.yaml'], apiVersions: PROMETHEUS_OPERATOR_APIS })
      .map((m) => m.kind)
      .sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'Service']);
  });
});
