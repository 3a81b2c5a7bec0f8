import { readFileSync } from 'node:fs';
import { DASHBOARD_FILE, type Dashboard } from './dashboard';
import { FULLNAME, type Manifest, named, ofKind, render, validateManifest } from './helpers';

type ConfigMap = Manifest & { data: Record<string, string> };
const ON = { metrics: { grafanaDashboard: { enabled: true } } };
const NAME = `${FULLNAME}-dashboard`;

function dashboardConfigMap(values: Record<string, unknown> = ON): ConfigMap {
  return named<ConfigMap>(render({ values }), 'ConfigMap', NAME);
}

describe('configmap-dashboard.yaml', () => {
  it('renders no dashboard ConfigMap by default', () => {
    expect(ofKind(render(), 'ConfigMap').map((c) => c.metadata.name)).toEqual([FULLNAME]);
  });

  it('is a valid ConfigMap with the Grafana sidecar label grafana_dashboard="1" and the folder annotation', () => {
    const cm = dashboardConfigMap();
    validateManifest(cm);
    expect(cm.metadata.labels).toMatchObject({ grafana_dashboard: '1', 'app.kubernetes.io/instance': 'ricochet' });
    expect(cm.metadata.annotations).toEqual({ grafana_folder: 'Ricochet' });
    expect(cm.metadata.namespace).toBe('udp');
  });

  it('holds dashboards/udp-server.json exactly as the file is', () => {
    const cm = dashboardConfigMap();
    expect(Object.keys(cm.data)).toEqual(['udp-server.json']);
    expect(cm.data['udp-server.json']).toBe(readFileSync(DASHBOARD_FILE, 'utf8').trimEnd());
  });

  it('takes the label, its value, the folder annotation, the folder, extra annotations and the namespace', () => {
    const cm = dashboardConfigMap({
      metrics: {
        grafanaDashboard: {
          enabled: true,
          label: 'grafana.com/dashboard',
          labelValue: 'ricochet',
          folderAnnotation: 'k8s-sidecar-target-directory',
          folder: '/tmp/dashboards/edge',
          annotations: { a: 'b' },
          namespace: 'monitoring',
        },
      },
    });
    expect(cm.metadata.labels).toMatchObject({ 'grafana.com/dashboard': 'ricochet' });
    expect(cm.metadata.labels).not.toHaveProperty('grafana_dashboard');
    expect(cm.metadata.annotations).toEqual({ a: 'b', 'k8s-sidecar-target-directory': '/tmp/dashboards/edge' });
    expect(cm.metadata.namespace).toBe('monitoring');
  });

  it('has no folder annotation when the folder is empty', () => {
    expect(
      dashboardConfigMap({ metrics: { grafanaDashboard: { enabled: true, folder: '' } } }).metadata,
    ).not.toHaveProperty('annotations');
  });

  it('renders nothing when switched off with its other settings set', () => {
    expect(
      ofKind(
        render({ values: { metrics: { grafanaDashboard: { enabled: false, folder: 'x', namespace: 'monitoring' } } } }),
        'ConfigMap',
      ),
    ).toHaveLength(1);
  });
});

describe('dashboards/udp-server.json', () => {
  const rendered = JSON.parse(dashboardConfigMap().data['udp-server.json']!) as Dashboard;
  const panels = rendered.panels.filter((p) => p.type !== 'row');

  it('parses as a Grafana dashboard with a stable uid and a title', () => {
    expect(rendered).toMatchObject({ uid: 'ricochet-udp-server', title: 'Ricochet UDP server' });
    expect(rendered.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(panels.length).toBeGreaterThanOrEqual(10);
  });

  it('templates the datasource: a Prometheus datasource variable that every panel and query uses', () => {
    const variable = rendered.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const panel of panels) {
      expect({ panel: panel.title, datasource: panel.datasource }).toEqual({
        panel: panel.title,
        datasource: { type: 'prometheus', uid: '${datasource}' },
      });
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('${datasource}');
    }
    for (const v of rendered.templating.list.filter((x) => x.type === 'query'))
      expect(v.datasource?.uid).toBe('${datasource}');
  });

  it('gives every panel at least one query, each with a refId unique in its panel', () => {
    for (const panel of panels) {
      expect({ panel: panel.title, targets: (panel.targets ?? []).length > 0 }).toEqual({
        panel: panel.title,
        targets: true,
      });
      const refIds = panel.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const target of panel.targets!) expect(target.expr.trim()).not.toBe('');
    }
  });

  it('filters every server query by the $namespace and $job variables', () => {
    for (const target of panels.flatMap((p) => p.targets ?? []).filter((t) => t.expr.includes('ricochet_'))) {
      expect(target.expr).toContain('namespace="$namespace", job="$job"');
    }
  });

  it('has the panels the service needs: traffic in and out, drops by reason, latency, kernel drops, ready pods, replicas', () => {
    const exprs = (title: string): string =>
      panels
        .find((p) => p.title === title)!
        .targets!.map((t) => t.expr)
        .join('\n');
    expect(exprs('Datagrams in, by type')).toContain('sum by (type) (rate(ricochet_datagrams_received_total');
    expect(exprs('Replies out, by type')).toContain('rate(ricochet_replies_sent_total');
    expect(exprs('Drops by reason')).toContain('sum by (reason) (rate(ricochet_datagrams_dropped_total');
    expect(exprs('Handling latency')).toContain(
      'histogram_quantile(0.99, sum by (le) (rate(ricochet_datagram_handling_seconds_bucket',
    );
    expect(exprs('Kernel drops, per pod')).toContain('ricochet_kernel_udp_rcvbuf_errors_total');
    expect(exprs('Pods')).toContain('kube_deployment_status_replicas_available');
    expect(exprs('Autoscaler replicas')).toContain('kube_horizontalpodautoscaler_spec_max_replicas');
  });

  it('lays the panels out on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const panel of rendered.panels) {
      const { x, y, w, h } = panel.gridPos;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const cell = `${i},${j}`;
          expect({ panel: panel.title, cell, free: !cells.has(cell) }).toEqual({
            panel: panel.title,
            cell,
            free: true,
          });
          cells.add(cell);
        }
      }
    }
    expect(new Set(rendered.panels.map((p) => p.id)).size).toBe(rendered.panels.length);
  });
});
