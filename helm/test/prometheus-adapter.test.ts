import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeIf, makeTempDir, requireTools } from '@ricochet/testing';
import { parse, stringify } from 'yaml';
import { CHART } from './helpers';
import { promtool } from './promql';

// helm/udp-server/extras/prometheus-adapter-values.yaml: the prometheus-adapter rule behind autoscaling.datagrams.
interface AdapterRule {
  seriesQuery: string;
  resources: { overrides: Record<string, { resource: string }> };
  name: { matches: string; as: string };
  metricsQuery: string;
}

const adapter = parse(readFileSync(join(CHART, 'extras', 'prometheus-adapter-values.yaml'), 'utf8')) as {
  rules: { custom: AdapterRule[] };
};
const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as {
  autoscaling: { datagrams: { metricName: string } };
};
const [rule] = adapter.rules.custom;

describe('extras/prometheus-adapter-values.yaml', () => {
  it('has one custom rule, exposing the metric name the HPA asks for', () => {
    expect(adapter.rules.custom).toHaveLength(1);
    expect(rule!.name.as).toBe(values.autoscaling.datagrams.metricName);
    expect(new RegExp(rule!.name.matches).test('ricochet_datagrams_received_total')).toBe(true);
  });

  it('ties the series to pods and namespaces, as a Pods metric needs', () => {
    expect(rule!.resources.overrides).toEqual({ namespace: { resource: 'namespace' }, pod: { resource: 'pod' } });
    expect(rule!.seriesQuery).toContain('namespace!=""');
    expect(rule!.seriesQuery).toContain('pod!=""');
  });

  it('turns the counter into a per-pod rate, grouped the way the adapter asks', () => {
    expect(rule!.metricsQuery).toMatch(
      /^sum by \(<<\.GroupBy>>\) \(rate\(<<\.Series>>\{<<\.LabelMatchers>>\}\[\d+m\]\)\)$/,
    );
  });
});

describeIf(...requireTools('promtool'))('extras/prometheus-adapter-values.yaml with promtool', () => {
  it('expands to a query Prometheus parses (promtool check rules on it as a recording rule)', () => {
    const query = rule!.metricsQuery
      .replace('<<.Series>>', 'ricochet_datagrams_received_total')
      .replace('<<.LabelMatchers>>', 'namespace="udp",pod=~"ricochet-udp-server-.*"')
      .replace('<<.GroupBy>>', 'pod');
    const dir = makeTempDir('helm-adapter');
    writeFileSync(
      join(dir, 'rules.yaml'),
      stringify({
        groups: [{ name: 'adapter', rules: [{ record: 'pod:ricochet_datagrams_received:rate', expr: query }] }],
      }),
    );
    const { status, output } = promtool(['check', 'rules', 'rules.yaml'], dir);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });
});
