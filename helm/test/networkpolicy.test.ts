import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1';
import { type Manifest, ofKind, one, render } from './helpers';

type NetworkPolicy = Manifest & { spec: INetworkPolicySpec };

const SELECTOR = { 'app.kubernetes.io/name': 'udp-server', 'app.kubernetes.io/instance': 'ricochet' };
const TEST_POD = {
  podSelector: {
    matchLabels: { 'app.kubernetes.io/name': 'udp-server-test', 'app.kubernetes.io/instance': 'ricochet' },
  },
};

describe('networkpolicy.yaml', () => {
  it('renders no NetworkPolicy by default (networkPolicy.enabled is false)', () => {
    expect(ofKind(render(), 'NetworkPolicy')).toEqual([]);
  });

  it('admits UDP to the server port from anywhere when udpFrom is empty, and denies other ingress', () => {
    const policy = one<NetworkPolicy>(render({ values: { networkPolicy: { enabled: true } } }), 'NetworkPolicy');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: SELECTOR },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 9999, protocol: 'UDP' }] }, { ports: [{ port: 9464, protocol: 'TCP' }] }],
    });
  });

  it('admits TCP to the metrics port in a rule of its own, from metricsFrom only when it is set', () => {
    const monitoring = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
    const policy = one<NetworkPolicy>(
      render({ values: { networkPolicy: { enabled: true, metricsFrom: [monitoring] }, metrics: { port: 9100 } } }),
      'NetworkPolicy',
    );
    expect(policy.spec.ingress).toEqual([
      { ports: [{ port: 9999, protocol: 'UDP' }] },
      { ports: [{ port: 9100, protocol: 'TCP' }], from: [monitoring] },
    ]);
  });

  it('keeps the UDP peers off the metrics port and the metrics peers off the UDP port', () => {
    const policy = one<NetworkPolicy>(
      render({
        valuesFiles: ['ci/09-observability-values.yaml'],
        values: { networkPolicy: { udpFrom: [{ ipBlock: { cidr: '192.0.2.0/24' } }] } },
      }),
      'NetworkPolicy',
    );
    const [udp, metrics] = policy.spec.ingress!;
    expect(udp!.from).toContainEqual({ ipBlock: { cidr: '192.0.2.0/24' } });
    expect(udp!.from).not.toContainEqual(metrics!.from![0]);
    expect(metrics!.from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
  });

  it('admits only the listed peers, plus the helm test pod', () => {
    const policy = one<NetworkPolicy>(render({ valuesFiles: ['ci/06-networkpolicy-values.yaml'] }), 'NetworkPolicy');
    expect(policy.spec.ingress?.[0]).toEqual({
      ports: [{ port: 9999, protocol: 'UDP' }],
      from: [
        { namespaceSelector: { matchLabels: { team: 'ricochet' } }, podSelector: { matchLabels: { role: 'client' } } },
        { ipBlock: { cidr: '192.0.2.0/24' } },
        TEST_POD,
      ],
    });
  });

  it('leaves the test pod out of the peers when the test is disabled', () => {
    const policy = one<NetworkPolicy>(
      render({ valuesFiles: ['ci/06-networkpolicy-values.yaml'], values: { test: { enabled: false } } }),
      'NetworkPolicy',
    );
    expect(policy.spec.ingress?.[0]?.from).not.toContainEqual(TEST_POD);
  });

  it('follows server.port (the pod port, after the Service has translated service.port)', () => {
    const policy = one<NetworkPolicy>(
      render({ values: { networkPolicy: { enabled: true }, server: { port: 5353 }, service: { port: 53 } } }),
      'NetworkPolicy',
    );
    expect(policy.spec.ingress?.[0]?.ports).toEqual([{ port: 5353, protocol: 'UDP' }]);
  });
});
