import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART, PROMETHEUS_OPERATOR_APIS, ROOT, ofKind, render } from './helpers';
import { type Exposition, scrapeRealServer } from './exposition';
import { type PrometheusRuleManifest, type Selector, alertRules, metricNames, selectors } from './promql';
import { type Dashboard, chartDashboard } from './dashboard';

// The dashboard's queries, the alerts' expressions and the prometheus-adapter rule may name only metrics that
// exist: those the real server exports (its /metrics, read from the built bundle), the kube-state-metrics
// series below, and Prometheus' own `up`. A renamed metric in the server fails here, not in a dark dashboard.
const KUBE_STATE_METRICS = new Set([
  'kube_deployment_spec_replicas',
  'kube_deployment_status_replicas_available',
  'kube_horizontalpodautoscaler_spec_max_replicas',
  'kube_horizontalpodautoscaler_spec_min_replicas',
  'kube_horizontalpodautoscaler_status_current_replicas',
  'kube_horizontalpodautoscaler_status_desired_replicas',
]);
const PROMETHEUS = new Set(['up']);
// Labels a scrape adds to the server's own: what a ServiceMonitor target carries, and le of the histogram.
const TARGET_LABELS = new Set(['namespace', 'job', 'pod', 'service', 'container', 'endpoint', 'instance']);

let exposition: Exposition;
beforeAll(async () => {
  exposition = await scrapeRealServer();
}, 30_000);

function known(name: string): boolean {
  return exposition.names.has(name) || KUBE_STATE_METRICS.has(name) || PROMETHEUS.has(name);
}

/** Label values a query pins with `=` on one of the server's own labels must exist in the exposition. */
function unknownLabelValues(selector: Selector): string[] {
  if (!selector.metric.startsWith('ricochet_')) return [];
  return selector.matchers
    .filter((m) => m.op === '=' && !TARGET_LABELS.has(m.label) && !m.value.includes('$'))
    .filter((m) => !exposition.samples.some((s) => s.metric === selector.metric && s.labels[m.label] === m.value))
    .map((m) => `${selector.metric}{${m.label}="${m.value}"}`);
}

function dashboardQueries(dashboard: Dashboard): string[] {
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const variables = dashboard.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => (typeof v.query === 'string' ? v.query : v.query.query));
  return [...panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...variables];
}

describe('metric names against the real server', () => {
  it('reads a real exposition, with the metrics docs/observability.md lists', () => {
    for (const name of [
      'ricochet_datagrams_received_total',
      'ricochet_replies_sent_total',
      'ricochet_datagrams_dropped_total',
      'ricochet_send_errors_total',
      'ricochet_datagram_handling_seconds_bucket',
      'ricochet_lifecycle_state',
      'ricochet_kernel_udp_rcvbuf_errors_total',
      'ricochet_build_info',
      // prom-client's, under the standard names off-the-shelf Node.js dashboards and alerts query.
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect({ name, exported: exposition.names.has(name) }).toEqual({ name, exported: true });
    }
  });

  it('finds the names in a query, and only them (the scanner itself)', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le, pod) (rate(ricochet_datagram_handling_seconds_bucket{job="$job", reason!~"a|b"}[$__rate_interval]))) > 1e3 and on (namespace) up offset 5m',
      ),
    ).toEqual(['ricochet_datagram_handling_seconds_bucket', 'up']);
    expect(metricNames('label_values(kube_deployment_spec_replicas{namespace="$namespace"}, deployment)')).toEqual([
      'kube_deployment_spec_replicas',
    ]);
    expect(metricNames('sum(rate(ricochet_typo_total[5m]))')).toEqual(['ricochet_typo_total']);
  });

  it('the dashboard queries name only exported metrics and existing label values', () => {
    const queries = dashboardQueries(chartDashboard());
    expect(queries.length).toBeGreaterThan(20);
    for (const query of queries) {
      const names = metricNames(query);
      expect({ query, hasMetric: names.length > 0 }).toEqual({ query, hasMetric: true });
      expect({ query, unknown: names.filter((n) => !known(n)) }).toEqual({ query, unknown: [] });
      expect({ query, unknownLabelValues: selectors(query).flatMap(unknownLabelValues) }).toEqual({
        query,
        unknownLabelValues: [],
      });
    }
  });

  it('the alert expressions name only exported metrics and existing label values, in every value set', () => {
    const valueSets: { values?: Record<string, unknown>; valuesFiles?: string[] }[] = [
      {
        values: {
          metrics: {
            prometheusRule: { enabled: true, alerts: { dropRatio: { ignoreReasons: ['privileged_source_port'] } } },
          },
        },
      },
      ...['ci/09-observability-values.yaml', 'ci/10-gitops-values.yaml'].map((file) => ({ valuesFiles: [file] })),
    ];
    let checked = 0;
    for (const set of valueSets) {
      for (const rule of ofKind(
        render({ ...set, apiVersions: PROMETHEUS_OPERATOR_APIS }),
        'PrometheusRule',
      ) as PrometheusRuleManifest[]) {
        for (const { alert, expr } of alertRules(rule)) {
          const names = metricNames(expr);
          expect({ alert, hasMetric: names.length > 0 }).toEqual({ alert, hasMetric: true });
          expect({ alert, unknown: names.filter((n) => !known(n)) }).toEqual({ alert, unknown: [] });
          expect({ alert, unknownLabelValues: selectors(expr).flatMap(unknownLabelValues) }).toEqual({
            alert,
            unknownLabelValues: [],
          });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(11);
  });

  it("the alerts' promtool tests feed only series that exist, so a renamed metric cannot pass them on both sides", () => {
    const dir = join(__dirname, 'alerts');
    let fed = 0;
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
      const unitTests = parse(readFileSync(join(dir, file), 'utf8')) as {
        tests: { input_series?: { series: string }[] }[];
      };
      for (const { series } of unitTests.tests.flatMap((t) => t.input_series ?? [])) {
        expect({ file, series, unknown: metricNames(series).filter((n) => !known(n)) }).toEqual({
          file,
          series,
          unknown: [],
        });
        // Label values only where the server has series to compare with (send error codes appear with errors).
        const sampled = selectors(series).filter((sel) => exposition.samples.some((x) => x.metric === sel.metric));
        expect({ file, series, unknownLabelValues: sampled.flatMap(unknownLabelValues) }).toEqual({
          file,
          series,
          unknownLabelValues: [],
        });
        fed++;
      }
    }
    expect(fed).toBeGreaterThanOrEqual(30);
  });

  it('CHANGELOG.md lists the rename of every metric exported under a standard name, old → new', () => {
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    const standard = [...exposition.text.matchAll(/^# TYPE (\S+) /gm)]
      .map((m) => m[1]!)
      .filter((name) => !name.startsWith('ricochet_'));
    expect(standard.length).toBeGreaterThan(20);
    const listed = (name: string): boolean =>
      new RegExp(`^ *\\| \`ricochet_${name}\` +\\| \`${name}\` +\\|$`, 'm').test(changelog);
    expect(standard.filter((name) => !listed(name))).toEqual([]);
  });

  it('the drop reasons the schema accepts for ignoreReasons are the ones the server counts', () => {
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as {
      properties: {
        metrics: {
          properties: {
            prometheusRule: {
              properties: {
                alerts: { properties: { dropRatio: { properties: { ignoreReasons: { items: { enum: string[] } } } } } };
              };
            };
          };
        };
      };
    };
    const accepted =
      schema.properties.metrics.properties.prometheusRule.properties.alerts.properties.dropRatio.properties
        .ignoreReasons.items.enum;
    const exported = exposition.samples
      .filter((s) => s.metric === 'ricochet_datagrams_dropped_total')
      .map((s) => s.labels['reason']);
    expect([...accepted].sort()).toEqual([...exported].sort());
  });

  it('the prometheus-adapter rule reads an exported counter', () => {
    const adapter = parse(readFileSync(join(CHART, 'extras', 'prometheus-adapter-values.yaml'), 'utf8')) as {
      rules: { custom: { seriesQuery: string }[] };
    };
    for (const rule of adapter.rules.custom) {
      const names = metricNames(rule.seriesQuery);
      expect(names).toEqual(['ricochet_datagrams_received_total']);
      expect(names.every(known)).toBe(true);
    }
  });
});
