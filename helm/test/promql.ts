// Prometheus-side helpers for the chart tests: promtool (offline rule checks and alert unit tests), the rules of
// a rendered PrometheusRule, and a small PromQL scanner that lists the metric names a query reads.
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';
import { stringify } from 'yaml';
import type { Manifest } from './helpers';

export interface PromtoolResult {
  status: number | null;
  output: string;
}

/**
 * Runs promtool (Debian's prometheus package) in `cwd`; returns its exit status and its stdout and stderr together.
 * Suites that call it are gated with `describeIf(...requireTools('promtool'))`.
 */
export function promtool(args: readonly string[], cwd: string): PromtoolResult {
  const result = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: result.stdout + result.stderr };
}

/** A rule as promtool and the PrometheusRule CRD see it. */
export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  rules: Rule[];
}
export type PrometheusRuleManifest = Manifest & { spec: { groups: RuleGroup[] } };

/** Every alerting rule of a PrometheusRule. */
export function alertRules(rule: PrometheusRuleManifest): Rule[] {
  return rule.spec.groups.flatMap((group) => group.rules.filter((r) => r.alert !== undefined));
}

/**
 * A temporary directory (removed after the test) holding rules.yaml: the PrometheusRule's `.spec`, which is a
 * Prometheus rule file as it stands (promtool wants that, not the Kubernetes object). Plus copies of the given
 * files, so a test file's `rule_files: [rules.yaml]` resolves next to it.
 */
export function ruleWorkspace(rule: PrometheusRuleManifest, files: readonly string[] = []): string {
  const dir = makeTempDir('helm-rules');
  writeFileSync(join(dir, 'rules.yaml'), stringify(rule.spec));
  for (const file of files) copyFileSync(file, join(dir, basename(file)));
  return dir;
}

// PromQL words that are not metric names: keywords and the names a grouping or matching clause lists.
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'atan2',
]);

/** A selector in a query: the metric name and its label matchers. */
export interface Selector {
  metric: string;
  matchers: { label: string; op: string; value: string }[];
}

/**
 * The selectors of a PromQL query (or of a Grafana `label_values(<query>, <label>)` variable), by a scan that
 * is enough for the queries this chart writes: string literals, `{…}` matchers and `[…]` ranges are cut out
 * first, then grouping clauses `by (…)`, `on (…)`…, then function calls; every identifier left is a metric name.
 * Grafana variables ($namespace, $__rate_interval) only appear inside matchers and ranges.
 */
export function selectors(query: string): Selector[] {
  let expr = query.trim();
  const labelValues = /^label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)$/s.exec(expr);
  if (labelValues) expr = labelValues[1]!;
  const found: Selector[] = [];
  // Metric names with their matcher blocks, read before anything is cut out.
  const withMatchers = /(?<![\w.$:])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g;
  const matchersOf = new Map<number, Selector['matchers']>();
  for (const m of expr.matchAll(withMatchers)) {
    const matchers = [...m[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((x) => ({
      label: x[1]!,
      op: x[2]!,
      value: x[3]!,
    }));
    matchersOf.set(m.index, matchers);
  }
  // Cut strings, matchers and ranges, keeping offsets (same-length blanks) so the indices above still apply.
  const blank = (s: string): string => ' '.repeat(s.length);
  let cut = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, blank)
    .replace(/\{[^}]*\}/g, blank)
    .replace(/\[[^\]]*\]/g, blank);
  cut = cut.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, (m) => blank(m));
  for (const m of cut.matchAll(/(?<![\w.$:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const name = m[1]!;
    if (m[2] !== undefined || KEYWORDS.has(name)) continue; // a function call, or a keyword
    found.push({ metric: name, matchers: matchersOf.get(m.index) ?? [] });
  }
  return found;
}

/** The metric names a query reads. */
export function metricNames(query: string): string[] {
  return [...new Set(selectors(query).map((s) => s.metric))];
}
