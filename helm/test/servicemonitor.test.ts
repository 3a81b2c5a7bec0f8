import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import {
  FULLNAME,
  METRICS_SERVICE,
  type Manifest,
  PROMETHEUS_OPERATOR_APIS,
  named,
  ofKind,
  one,
  render,
  validateManifest,
} from './helpers';

type ServiceMonitor = Manifest & { spec: IServiceMonitor['spec'] };

const ON = { metrics: { serviceMonitor: { enabled: true } } };
const FORCED = { metrics: { serviceMonitor: { enabled: true, force: true } } };

function serviceMonitor(
  values: Record<string, unknown> = ON,
  apiVersions: readonly string[] = PROMETHEUS_OPERATOR_APIS,
): ServiceMonitor {
  return one<ServiceMonitor>(render({ values, apiVersions }), 'ServiceMonitor');
}

describe('servicemonitor.yaml', () => {
  it('renders none by default, even where the Operator runs', () => {
    expect(ofKind(render({ apiVersions: PROMETHEUS_OPERATOR_APIS }), 'ServiceMonitor')).toEqual([]);
  });

  it('renders none when switched on in a cluster without monitoring.coreos.com/v1/ServiceMonitor', () => {
    expect(ofKind(render({ values: ON }), 'ServiceMonitor')).toEqual([]);
    expect(
      ofKind(render({ values: ON, apiVersions: ['monitoring.coreos.com/v1/PrometheusRule'] }), 'ServiceMonitor'),
    ).toEqual([]);
  });

  it('renders when the cluster serves the kind, and when forced without it (helm template in a pipeline)', () => {
    expect(serviceMonitor(ON, ['monitoring.coreos.com/v1/ServiceMonitor']).metadata.name).toBe(FULLNAME);
    expect(serviceMonitor(FORCED, []).metadata.name).toBe(FULLNAME);
  });

  it('is a valid monitoring.coreos.com/v1 ServiceMonitor', () => {
    const sm = serviceMonitor();
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    validateManifest(sm);
  });

  it('selects exactly the metrics Service, in the release namespace, and scrapes its named port every 30 s', () => {
    const manifests = render({ values: ON, apiVersions: PROMETHEUS_OPERATOR_APIS });
    const sm = one<ServiceMonitor>(manifests, 'ServiceMonitor');
    expect(sm.spec).toEqual({
      selector: {
        matchLabels: {
          'app.kubernetes.io/name': 'udp-server',
          'app.kubernetes.io/instance': 'ricochet',
          'app.kubernetes.io/component': 'metrics',
        },
      },
      namespaceSelector: { matchNames: ['udp'] },
      endpoints: [{ port: 'metrics', path: '/metrics', scheme: 'http', interval: '30s', scrapeTimeout: '10s' }],
    });
    // The selector matches the metrics Service's labels, and not the UDP Service's.
    const matches = (s: Manifest): boolean =>
      Object.entries(sm.spec.selector.matchLabels!).every(([k, v]) => s.metadata.labels?.[k] === v);
    expect(matches(named(manifests, 'Service', METRICS_SERVICE))).toBe(true);
    expect(matches(named(manifests, 'Service', FULLNAME))).toBe(false);
    const port = (named(manifests, 'Service', METRICS_SERVICE)['spec'] as { ports: { name: string }[] }).ports[0]!.name;
    expect(sm.spec.endpoints[0]!.port).toBe(port);
  });

  it('takes labels (for the serviceMonitorSelector), interval, timeout and relabelings', () => {
    const drop = { sourceLabels: ['__name__'], regex: 'nodejs_.*', action: 'drop' };
    const keep = { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' };
    const sm = serviceMonitor({
      metrics: {
        serviceMonitor: {
          enabled: true,
          labels: { release: 'kube-prometheus-stack' },
          interval: '15s',
          scrapeTimeout: '5s',
          relabelings: [keep],
          metricRelabelings: [drop],
        },
      },
    });
    expect(sm.metadata.labels).toMatchObject({
      release: 'kube-prometheus-stack',
      'app.kubernetes.io/instance': 'ricochet',
    });
    expect(sm.spec.endpoints[0]).toMatchObject({
      interval: '15s',
      scrapeTimeout: '5s',
      relabelings: [keep],
      metricRelabelings: [drop],
    });
    validateManifest(sm);
  });

  it('leaves interval and scrapeTimeout to Prometheus when empty', () => {
    const endpoint = serviceMonitor({ metrics: { serviceMonitor: { enabled: true, interval: '', scrapeTimeout: '' } } })
      .spec.endpoints[0]!;
    expect(endpoint).not.toHaveProperty('interval');
    expect(endpoint).not.toHaveProperty('scrapeTimeout');
  });
});
