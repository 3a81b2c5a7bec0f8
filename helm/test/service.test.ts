import type { IServiceSpec } from 'kubernetes-models/v1';
import { FULLNAME, type Manifest, named, render, renderError } from './helpers';

type Service = Manifest & { spec: IServiceSpec };

function service(values: Record<string, unknown> = {}, valuesFiles: string[] = []): Service {
  return named<Service>(render({ values, valuesFiles }), 'Service', FULLNAME);
}

describe('service.yaml', () => {
  it('is a ClusterIP Service with one UDP port, written out, targeting the named container port', () => {
    const s = service();
    expect(s.metadata.name).toBe(FULLNAME);
    expect(s.spec.type).toBe('ClusterIP');
    expect(s.spec.ports).toEqual([{ name: 'udp-9999', port: 9999, targetPort: 'udp-9999', protocol: 'UDP' }]);
  });

  it('selects the pods by their selector labels only', () => {
    expect(service().spec.selector).toEqual({
      'app.kubernetes.io/name': 'udp-server',
      'app.kubernetes.io/instance': 'ricochet',
    });
  });

  it('maps a different service.port onto the container port', () => {
    expect(service({ service: { port: 53 } }).spec.ports).toEqual([
      { name: 'udp-53', port: 53, targetPort: 'udp-9999', protocol: 'UDP' },
    ]);
  });

  it('supports NodePort with a fixed node port and externalTrafficPolicy Local', () => {
    const s = service({}, ['ci/02-nodeport-values.yaml']);
    expect(s.spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Local' });
    expect(s.spec.ports).toEqual([
      { name: 'udp-9999', port: 9999, targetPort: 'udp-9999', protocol: 'UDP', nodePort: 30999 },
    ]);
  });

  it('supports LoadBalancer with a class, source ranges, annotations and labels', () => {
    const s = service({}, ['ci/03-loadbalancer-values.yaml']);
    expect(s.spec).toMatchObject({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Cluster',
      loadBalancerClass: 'service.k8s.aws/nlb',
      loadBalancerSourceRanges: ['203.0.113.0/24', '198.51.100.0/24'],
    });
    expect(s.spec.ports?.[0]).toMatchObject({ port: 53, protocol: 'UDP' });
    expect(s.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' });
    expect(s.metadata.labels).toMatchObject({ exposure: 'public', 'app.kubernetes.io/name': 'udp-server' });
  });

  it('sends every datagram of a client address to one pod with sessionAffinity ClientIP, for timeoutSeconds', () => {
    expect(service({}, ['ci/12-extensions-values.yaml']).spec).toMatchObject({
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
    });
  });

  it('leaves session affinity to Kubernetes (None) by default', () => {
    const s = service();
    expect(s.spec).not.toHaveProperty('sessionAffinity');
    expect(s.spec).not.toHaveProperty('sessionAffinityConfig');
  });

  it('lets Kubernetes pick the node port when service.nodePort is null', () => {
    const s = service({ service: { type: 'NodePort' } });
    expect(s.spec.ports?.[0]).not.toHaveProperty('nodePort');
    expect(s.spec).not.toHaveProperty('externalTrafficPolicy');
  });

  it('fails when a node port is set on a ClusterIP Service', () => {
    expect(renderError({ values: { service: { nodePort: 30001 } } })).toContain(
      'service.nodePort (30001) needs service.type NodePort or LoadBalancer, not ClusterIP',
    );
  });

  it('fails when externalTrafficPolicy is set on a ClusterIP Service', () => {
    expect(renderError({ values: { service: { externalTrafficPolicy: 'Local' } } })).toContain(
      'service.externalTrafficPolicy (Local) needs service.type NodePort or LoadBalancer',
    );
  });

  it('fails when load-balancer settings are given to a NodePort Service', () => {
    expect(
      renderError({ values: { service: { type: 'NodePort', loadBalancerSourceRanges: ['10.0.0.0/8'] } } }),
    ).toContain(
      'service.loadBalancerClass and service.loadBalancerSourceRanges need service.type LoadBalancer, not NodePort',
    );
  });
});
