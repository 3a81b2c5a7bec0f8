import { udpEndpoint } from '../src/smoke';

const service = (type: string, extra: object = {}) => ({
  metadata: { name: 'udp-server' },
  spec: { type, ports: [{ protocol: 'UDP', port: 9999, nodePort: 31234 }] },
  ...extra,
});
const metrics = {
  metadata: { name: 'udp-server-metrics' },
  spec: { type: 'ClusterIP', ports: [{ protocol: 'TCP', port: 9464 }] },
};
const node = {
  status: {
    addresses: [
      { type: 'Hostname', address: 'node-1' },
      { type: 'InternalIP', address: '10.0.0.5' },
    ],
  },
};

describe('where the smoke check sends its PINGs', () => {
  it("a NodePort Service: a node's address and the node port (the metrics Service, TCP, is not it)", () => {
    expect(udpEndpoint([metrics, service('NodePort')], [node])).toEqual({ host: '10.0.0.5', port: 31234 });
  });

  it("prefers a node's external address", () => {
    const external = {
      status: { addresses: [...node.status.addresses, { type: 'ExternalIP', address: '203.0.113.7' }] },
    };
    expect(udpEndpoint([service('NodePort')], [external])).toEqual({ host: '203.0.113.7', port: 31234 });
  });

  it("a LoadBalancer Service: the load balancer's address and the Service port", () => {
    const lb = service('LoadBalancer', { status: { loadBalancer: { ingress: [{ ip: '198.51.100.2' }] } } });
    expect(udpEndpoint([lb], [node])).toEqual({ host: '198.51.100.2', port: 9999 });
  });

  it('says why a ClusterIP Service cannot be reached from outside the cluster', () => {
    expect(() => udpEndpoint([service('ClusterIP')], [node])).toThrow(/ClusterIP: not reachable from outside/);
  });
});
