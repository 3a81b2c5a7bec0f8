import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type JsonSchema, documentValues, updateChartReadme } from '../scripts/chart-readme';
import { CHART, ROOT, helm } from './helpers';

const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
const valuesYaml = readFileSync(join(CHART, 'values.yaml'), 'utf8');
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as JsonSchema;
const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as {
  home: string;
  icon: string;
  annotations: Record<string, string>;
};

/** The repository file a URL on the project's repository names (blob/main/<path> or raw …/main/<path>), if any. */
function repositoryFile(url: string): string | undefined {
  const repository = new URL(chart.home).pathname; // /owner/name
  const { host, pathname } = new URL(url);
  const prefix =
    host === 'raw.githubusercontent.com'
      ? `${repository}/main/`
      : host === 'github.com'
        ? `${repository}/blob/main/`
        : '';
  return prefix && pathname.startsWith(prefix) ? pathname.slice(prefix.length) : undefined;
}

describe('the chart README (helm/udp-server/README.md)', () => {
  it('has the values table values.yaml documents (run `nx run helm:readme` after changing values.yaml)', () => {
    expect(updateChartReadme(readme, valuesYaml, schema)).toBe(readme);
  });

  it('is what `helm show readme` prints', () => {
    const { status, stdout } = helm(['show', 'readme', CHART]);
    expect(status).toBe(0);
    expect(stdout.trimEnd()).toBe(readme.trimEnd());
  });

  it('says how to install from the OCI registry and how to reach the Service over UDP', () => {
    expect(readme).toMatch(/helm install ricochet oci:\/\/ghcr\.io\/ricochet\/charts\/udp-server --version/);
    for (const text of ['**NodePort**', '**LoadBalancer**', '`kubectl port-forward` carries TCP only'])
      expect(readme).toContain(text);
    expect(readme).toMatch(/`minikube tunnel` does\s+not carry UDP/);
  });

  it('links only to files that exist in the repository', () => {
    const links = [...readme.matchAll(/https:\/\/[^\s)>"`]+/g)].map((m) => m[0].replace(/[.,]$/, ''));
    expect(links.length).toBeGreaterThan(2);
    for (const url of links) {
      const file = repositoryFile(url);
      if (file !== undefined) expect({ url, exists: existsSync(join(ROOT, file)) }).toEqual({ url, exists: true });
      else expect(url).toBe(chart.home);
    }
  });
});

describe('the values table generator (helm/scripts/chart-readme.ts)', () => {
  const { rows, undocumented } = documentValues(valuesYaml, schema);
  const row = (key: string) => rows.find((r) => r.key === key);

  it('finds a `# --` comment for every key of values.yaml, or of a section above it', () => {
    expect(undocumented).toEqual([]);
    expect(rows.length).toBeGreaterThan(100);
  });

  it('lists the extension points, each with its default', () => {
    for (const key of [
      'commonLabels',
      'commonAnnotations',
      'extraEnv',
      'extraEnvFrom',
      'extraVolumes',
      'extraVolumeMounts',
      'sidecars',
      'initContainers',
      'extraManifests',
      'hostNetwork',
      'dnsPolicy',
      'dnsConfig',
      'service.sessionAffinity',
      'service.sessionAffinityConfig.clientIP.timeoutSeconds',
      'metrics.prometheusRule.runbookBaseUrl',
    ])
      expect({ key, documented: row(key) !== undefined }).toEqual({ key, documented: true });
    expect(row('service.sessionAffinityConfig.clientIP.timeoutSeconds')).toMatchObject({ type: 'int', default: 10800 });
  });

  it('takes each type from the schema, following references and alternatives', () => {
    expect(row('service.nodePort')?.type).toBe('int or null');
    expect(row('rollingUpdate.maxSurge')?.type).toBe('int or string');
    expect(row('startupProbe.periodSeconds')?.type).toBe('int');
    expect(row('server.drainSeconds')?.type).toBe('number');
  });

  it('reports a key without a `# --` comment, and reads a section comment as no documentation', () => {
    const values =
      '# -- Documented.\na: 1\n# A section.\nsection:\n  # Not a doc comment.\n  b: 2\n  # -- Yes.\n  c: 3\n';
    const result = documentValues(values, {});
    expect(result.undocumented).toEqual(['section.b']);
    expect(result.rows.map((r) => [r.key, r.type, r.description])).toEqual([
      ['a', 'number', 'Documented.'],
      ['section.c', 'number', 'Yes.'],
    ]);
    expect(() => updateChartReadme('<!-- values:start --><!-- values:end -->', values, {})).toThrow(
      'values.yaml: no "# --" comment documents section.b',
    );
  });

  it('escapes what Markdown would read as a table cell boundary, HTML or emphasis, outside code spans', () => {
    const values = '# -- Pipe | <release> *bold* `<kept> *kept*`.\na: "x|y"\n';
    const table = updateChartReadme('<!-- values:start --><!-- values:end -->', values, {});
    expect(table).toContain('| `a` | string | `"x\\|y"` | Pipe \\| &lt;release&gt; \\*bold\\* `<kept> *kept*`. |');
  });
});

describe('Chart.yaml metadata for Artifact Hub', () => {
  it('points home, sources, icon and every link at the one repository, at files that exist', () => {
    expect((parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { sources: string[] }).sources).toEqual([
      chart.home,
    ]);
    const links = parse(chart.annotations['artifacthub.io/links']!) as { name: string; url: string }[];
    for (const url of [chart.icon, ...links.map((l) => l.url)]) {
      const file = repositoryFile(url);
      expect({ url, exists: file !== undefined && existsSync(join(ROOT, file)) }).toEqual({ url, exists: true });
    }
  });

  it("defaults the alerts' runbook base to docs/runbooks.md on the same repository", () => {
    const base = documentValues(valuesYaml, schema).rows.find((r) => r.key === 'metrics.prometheusRule.runbookBaseUrl');
    expect(repositoryFile(String(base?.default))).toBe('docs/runbooks.md');
  });

  it("declares the project's license and a list of changes Artifact Hub can read", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string };
    expect(chart.annotations['artifacthub.io/license']).toBe(pkg.license);
    const changes = parse(chart.annotations['artifacthub.io/changes']!) as { kind: string; description: string }[];
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      expect(['added', 'changed', 'deprecated', 'removed', 'fixed', 'security']).toContain(change.kind);
      expect(change.description.length).toBeGreaterThan(0);
    }
  });
});
