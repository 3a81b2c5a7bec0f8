import type { IServiceSpec } from 'kubernetes-models/v1';
import { FULLNAME, METRICS_SERVICE, type Manifest, named, ofKind, render, renderError } from './helpers';

type Service = Manifest & { spec: IServiceSpec };

function metricsService(values: Record<string, unknown> = {}, valuesFiles: string[] = []): Service {
  return named<Service>(render({ values, valuesFiles }), 'Service', METRICS_SERVICE);
}

describe('service-metrics.yaml', () => {
  it('is a headless Service of its own with the TCP port named metrics, targeting the container port by name', () => {
    const s = metricsService();
    expect(s.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      ports: [{ name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' }],
      selector: { 'app.kubernetes.io/name': 'udp-server', 'app.kubernetes.io/instance': 'ricochet' },
    });
  });

  it('carries app.kubernetes.io/component=metrics, which the ServiceMonitor selects and the UDP Service lacks', () => {
    const manifests = render();
    expect(named(manifests, 'Service', METRICS_SERVICE).metadata.labels).toMatchObject({
      'app.kubernetes.io/component': 'metrics',
    });
    expect(named(manifests, 'Service', FULLNAME).metadata.labels).not.toHaveProperty('app.kubernetes.io/component');
  });

  it('never puts the metrics port on the UDP Service, whatever its type', () => {
    for (const file of ['ci/02-nodeport-values.yaml', 'ci/03-loadbalancer-values.yaml']) {
      const udp = named<Service>(render({ valuesFiles: [file] }), 'Service', FULLNAME);
      expect(udp.spec.ports?.map((p) => p.protocol)).toEqual(['UDP']);
      expect(metricsService({}, [file]).spec.type).toBe('ClusterIP');
    }
  });

  it('follows metrics.port and takes annotations and extra labels, keeping the chart labels', () => {
    const s = metricsService({
      metrics: {
        port: 9100,
        service: { annotations: { a: 'b' }, labels: { team: 'edge', 'app.kubernetes.io/component': 'x' } },
      },
    });
    expect(s.spec.ports).toEqual([{ name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' }]);
    expect(s.metadata.annotations).toEqual({ a: 'b' });
    expect(s.metadata.labels).toMatchObject({
      team: 'edge',
      'app.kubernetes.io/component': 'metrics',
      'app.kubernetes.io/name': 'udp-server',
    });
  });

  it('is not rendered with metrics.service.enabled false (the UDP Service stays)', () => {
    const services = ofKind(render({ values: { metrics: { service: { enabled: false } } } }), 'Service');
    expect(services.map((s) => s.metadata.name)).toEqual([FULLNAME]);
  });

  it('is required by the ServiceMonitor: the render fails, saying so, when it is off', () => {
    expect(
      renderError({ values: { metrics: { service: { enabled: false }, serviceMonitor: { enabled: true } } } }),
    ).toContain('metrics.serviceMonitor.enabled needs metrics.service.enabled');
  });
});
