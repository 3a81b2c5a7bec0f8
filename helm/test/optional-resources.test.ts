import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART, ofKind, render } from './helpers';

// Every optional object, switched off, renders zero documents of its kind, whatever else is set. (The CoreDNS
// chart's service.yaml closed its guard early and rendered a lone key when disabled; this catches that.)
const OPTIONAL: [kind: string, template: string, off: Record<string, unknown>][] = [
  ['ServiceAccount', 'serviceaccount.yaml', { serviceAccount: { create: false, annotations: { a: 'b' } } }],
  ['HorizontalPodAutoscaler', 'horizontalpodautoscaler.yaml', { autoscaling: { enabled: false, maxReplicas: 50 } }],
  ['PodDisruptionBudget', 'poddisruptionbudget.yaml', { podDisruptionBudget: { enabled: false, unhealthyPodEvictionPolicy: 'AlwaysAllow' } }],
  ['NetworkPolicy', 'networkpolicy.yaml', { networkPolicy: { enabled: false, udpFrom: [{ ipBlock: { cidr: '10.0.0.0/8' } }] } }],
  ['Pod', 'tests/test-ping.yaml', { test: { enabled: false, count: 9 } }],
];

describe('optional objects', () => {
  it.each(OPTIONAL)('%s: renders zero documents when switched off', (kind, _template, off) => {
    // The switch is off while the object's other settings are set: only the guard keeps it out.
    const manifests = render({ values: off });
    expect(ofKind(manifests, kind)).toEqual([]);
    // No stray fragment: every document is a whole object.
    expect(manifests.every((m) => typeof m.kind === 'string' && typeof m.apiVersion === 'string')).toBe(true);
  });

  it.each(OPTIONAL)('%s: the whole file sits inside its guard (%s)', (_kind, template) => {
    const lines = readFileSync(join(CHART, 'templates', template), 'utf8').trimEnd().split('\n');
    const code = lines.filter((line) => !line.startsWith('#'));
    expect(code[0]).toMatch(/^\{\{- if /);
    expect(code[code.length - 1]).toBe('{{- end }}');
  });

  it('with everything optional off, renders exactly the ConfigMap, the Service and the Deployment', () => {
    const kinds = render({ valuesFiles: ['ci/07-minimal-values.yaml'] }).map((m) => m.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'Service']);
  });
});
