import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeIf, requireTools } from '@ricochet/testing';
import { parse } from 'yaml';
import {
  FULLNAME,
  PROMETHEUS_OPERATOR_APIS,
  ROOT,
  ciValuesFiles,
  ofKind,
  one,
  render,
  validateManifest,
} from './helpers';
import { type PrometheusRuleManifest, alertRules, promtool, ruleWorkspace } from './promql';

const ON = { metrics: { prometheusRule: { enabled: true } } };
const ALERTS_DIR = join(__dirname, 'alerts');
const RUNBOOKS = join(ROOT, 'docs', 'runbooks.md');

/** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as dashes. */
function markdownAnchors(markdown: string): Set<string> {
  const headings = markdown.match(/^#{1,6} .+$/gm) ?? [];
  return new Set(
    headings.map((h) =>
      h
        .replace(/^#+ /, '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\- _]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}
const ALERT_TESTS = readdirSync(ALERTS_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

function prometheusRule(
  values: Record<string, unknown> = ON,
  apiVersions: readonly string[] = PROMETHEUS_OPERATOR_APIS,
): PrometheusRuleManifest {
  return one<PrometheusRuleManifest>(render({ values, apiVersions }), 'PrometheusRule');
}

function alert(rule: PrometheusRuleManifest, name: string) {
  const found = alertRules(rule).find((r) => r.alert === name);
  if (!found) throw new Error(`no alert ${name}`);
  return found;
}

describe('prometheusrule.yaml', () => {
  it('renders none by default, even where the Operator runs', () => {
    expect(ofKind(render({ apiVersions: PROMETHEUS_OPERATOR_APIS }), 'PrometheusRule')).toEqual([]);
  });

  it('renders none when switched on in a cluster without monitoring.coreos.com/v1/PrometheusRule, and does when forced', () => {
    expect(ofKind(render({ values: ON }), 'PrometheusRule')).toEqual([]);
    expect(
      ofKind(render({ values: ON, apiVersions: ['monitoring.coreos.com/v1/ServiceMonitor'] }), 'PrometheusRule'),
    ).toEqual([]);
    expect(prometheusRule({ metrics: { prometheusRule: { enabled: true, force: true } } }, []).metadata.name).toBe(
      FULLNAME,
    );
  });

  it('is a valid monitoring.coreos.com/v1 PrometheusRule carrying its selector labels', () => {
    const rule = prometheusRule({
      metrics: { prometheusRule: { enabled: true, labels: { release: 'kube-prometheus-stack' } } },
    });
    validateManifest(rule);
    expect(rule.metadata.labels).toMatchObject({
      release: 'kube-prometheus-stack',
      'app.kubernetes.io/instance': 'ricochet',
    });
  });

  it('has the six alerts, each with a for, a severity, a summary, a description and a runbook', () => {
    const rules = alertRules(prometheusRule());
    expect(rules.map((r) => [r.alert, r.for, r.labels?.['severity']])).toEqual([
      ['RicochetDown', '5m', 'critical'],
      ['RicochetNoReadyPods', '5m', 'critical'],
      ['RicochetHighDropRatio', '10m', 'warning'],
      ['RicochetKernelReceiveBufferErrors', '10m', 'warning'],
      ['RicochetSendErrors', '10m', 'warning'],
      ['RicochetAutoscalerAtMax', '15m', 'warning'],
    ]);
    for (const r of rules)
      expect(Object.keys(r.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
  });

  it("links every alert to its own section of docs/runbooks.md, on the project's repository by default", () => {
    const anchors = markdownAnchors(readFileSync(RUNBOOKS, 'utf8'));
    const base = 'https://github.com/ricochet/ricochet/blob/main/docs/runbooks.md';
    const rules = alertRules(prometheusRule());
    for (const r of rules) {
      const [url, anchor] = r.annotations!['runbook_url']!.split('#');
      expect({ alert: r.alert, url, anchor }).toEqual({ alert: r.alert, url: base, anchor: r.alert!.toLowerCase() });
      expect({ alert: r.alert, documented: anchors.has(anchor!) }).toEqual({ alert: r.alert, documented: true });
    }
    // And the runbooks document no alert the chart does not have.
    expect([...anchors].filter((a) => a.startsWith('ricochet')).sort()).toEqual(
      rules.map((r) => r.alert!.toLowerCase()).sort(),
    );
  });

  it('points the runbook links at metrics.prometheusRule.runbookBaseUrl, and leaves them out when it is empty', () => {
    const at = (runbookBaseUrl: string) =>
      alertRules(prometheusRule({ metrics: { prometheusRule: { enabled: true, runbookBaseUrl } } })).map(
        (r) => r.annotations?.['runbook_url'],
      );
    expect(at('https://wiki.example.com/udp')).toContain('https://wiki.example.com/udp#ricochetsenderrors');
    expect(at('')).toEqual(Array(6).fill(undefined));
  });

  it('selects the targets by the job the Operator names after the metrics Service, and the namespace', () => {
    expect(alert(prometheusRule(), 'RicochetDown').expr).toBe(
      'sum by (namespace, job) (up{job="ricochet-udp-server-metrics",namespace="udp"}) == 0\nor\nabsent(up{job="ricochet-udp-server-metrics",namespace="udp"})',
    );
  });

  it('uses metrics.prometheusRule.targetSelector instead when set', () => {
    const targetSelector = 'job="kubernetes-pods",namespace="udp",app_kubernetes_io_instance="ricochet"';
    const rule = prometheusRule({ metrics: { prometheusRule: { enabled: true, targetSelector } } });
    for (const name of [
      'RicochetDown',
      'RicochetHighDropRatio',
      'RicochetKernelReceiveBufferErrors',
      'RicochetSendErrors',
    ]) {
      expect(alert(rule, name).expr).toContain(`{${targetSelector}`);
      expect(alert(rule, name).expr).not.toContain('ricochet-udp-server-metrics');
    }
  });

  it('counts every drop reason by default, and leaves out only the reasons listed, saying so in the description', () => {
    const all = alert(prometheusRule(), 'RicochetHighDropRatio');
    expect(all.expr).not.toContain('reason');
    expect(all.annotations?.['description']).toContain('every drop reason counts)');
    const some = alert(
      prometheusRule({
        metrics: {
          prometheusRule: {
            enabled: true,
            alerts: { dropRatio: { ignoreReasons: ['privileged_source_port', 'bad_magic'] } },
          },
        },
      }),
      'RicochetHighDropRatio',
    );
    expect(some.expr).toContain(
      'ricochet_datagrams_dropped_total{job="ricochet-udp-server-metrics",namespace="udp",reason!~"privileged_source_port|bad_magic"}',
    );
    expect(some.annotations?.['description']).toContain(
      'every drop reason counts except privileged_source_port, bad_magic',
    );
  });

  it('takes thresholds, windows and for from values', () => {
    const rule = prometheusRule({
      metrics: {
        prometheusRule: {
          enabled: true,
          rateWindow: '2m',
          alerts: {
            dropRatio: { threshold: 0.05, minReceivedPerSecond: 10, for: '30m' },
            receiveBufferErrors: { thresholdPerSecond: 5 },
            sendErrors: { thresholdPerSecond: 0.5 },
          },
        },
      },
    });
    const drop = alert(rule, 'RicochetHighDropRatio');
    expect(drop.expr).toContain(') > 0.05\n');
    expect(drop.expr).toMatch(/\[2m\]\)\) > 10$/);
    expect(drop.for).toBe('30m');
    expect(drop.annotations?.['description']).toContain('threshold 5%');
    expect(alert(rule, 'RicochetKernelReceiveBufferErrors').expr).toMatch(/\[2m\]\)\) > 5$/);
    expect(alert(rule, 'RicochetSendErrors').expr).toMatch(/\[2m\]\)\) > 0.5$/);
  });

  it("adds alertLabels to every alert, with each alert's own severity winning", () => {
    const rule = prometheusRule({
      metrics: { prometheusRule: { enabled: true, alertLabels: { team: 'edge', severity: 'page' } } },
    });
    for (const r of alertRules(rule))
      expect(r.labels).toEqual({
        team: 'edge',
        severity: r.alert === 'RicochetDown' || r.alert === 'RicochetNoReadyPods' ? 'critical' : 'warning',
      });
  });

  it('leaves out an alert switched off, and RicochetAutoscalerAtMax when there is no autoscaler', () => {
    const names = (values: Record<string, unknown>): (string | undefined)[] =>
      alertRules(prometheusRule(values)).map((r) => r.alert);
    expect(
      names({ metrics: { prometheusRule: { enabled: true, alerts: { sendErrors: { enabled: false } } } } }),
    ).not.toContain('RicochetSendErrors');
    expect(names({ ...ON, autoscaling: { enabled: false } })).not.toContain('RicochetAutoscalerAtMax');
  });

  it('watches the HorizontalPodAutoscaler and the Deployment the chart names', () => {
    const rule = prometheusRule();
    expect(alert(rule, 'RicochetAutoscalerAtMax').expr).toContain(`horizontalpodautoscaler="${FULLNAME}"`);
    expect(alert(rule, 'RicochetNoReadyPods').expr).toContain(`deployment="${FULLNAME}"`);
  });
});

// promtool, offline: the rules load (check rules) and every alert fires, and stays silent, when its unit test
// says (test rules: helm/test/alerts/<alert>.yaml, each with a firing and a non-firing case).
describeIf(...requireTools('promtool'))('prometheusrule.yaml with promtool', () => {
  const renderedValueSets: [string, Record<string, unknown>, string[]][] = [
    ['the defaults', ON, []],
    ...ciValuesFiles().map((file): [string, Record<string, unknown>, string[]] => [file, {}, [file]]),
  ];

  it.each(renderedValueSets)('passes promtool check rules with %s', (_name, values, valuesFiles) => {
    const rules = ofKind(
      render({ values, valuesFiles, apiVersions: PROMETHEUS_OPERATOR_APIS }),
      'PrometheusRule',
    ) as PrometheusRuleManifest[];
    for (const rule of rules) {
      const { status, output } = promtool(['check', 'rules', 'rules.yaml'], ruleWorkspace(rule));
      expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    }
  });

  it('has one unit test file per alert, each with a firing and a non-firing case', () => {
    const covered = new Map<string, { fires: boolean; silent: boolean }>();
    for (const file of ALERT_TESTS) {
      const suite = parse(readFileSync(join(ALERTS_DIR, file), 'utf8')) as {
        rule_files: string[];
        tests: { alert_rule_test: { alertname: string; exp_alerts?: unknown[] }[] }[];
      };
      expect(suite.rule_files).toEqual(['rules.yaml']);
      for (const test of suite.tests.flatMap((t) => t.alert_rule_test)) {
        const entry = covered.get(test.alertname) ?? { fires: false, silent: false };
        if ((test.exp_alerts ?? []).length > 0) entry.fires = true;
        else entry.silent = true;
        covered.set(test.alertname, entry);
      }
    }
    const alerts = alertRules(prometheusRule()).map((r) => r.alert!);
    expect([...covered.keys()].sort()).toEqual([...alerts].sort());
    for (const name of alerts) expect({ name, ...covered.get(name) }).toEqual({ name, fires: true, silent: true });
    expect(ALERT_TESTS).toHaveLength(alerts.length);
  });

  it.each(ALERT_TESTS)('passes promtool test rules %s against the rules rendered with the defaults', (file) => {
    const { status, output } = promtool(
      ['test', 'rules', file],
      ruleWorkspace(prometheusRule(), [join(ALERTS_DIR, file)]),
    );
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('fails a unit test when the rule changes (the tests are not vacuous)', () => {
    const rule = prometheusRule({
      metrics: { prometheusRule: { enabled: true, alerts: { dropRatio: { threshold: 0.03 } } } },
    });
    const workspace = ruleWorkspace(rule, [join(ALERTS_DIR, 'ricochet-high-drop-ratio.yaml')]);
    const { status, output } = promtool(['test', 'rules', 'ricochet-high-drop-ratio.yaml'], workspace);
    expect(status).not.toBe(0);
    expect(output).toContain('alertname: RicochetHighDropRatio');
  });
});
