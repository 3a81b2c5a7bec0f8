import { CERTIFICATES, extensions, subject } from './pki';
import { KUBERNETES_SERVICE_IP, NODE_IP, NODE_NAME } from './layout';

const byName = (name: string) => CERTIFICATES.find((certificate) => certificate.name === name)!;

describe('the cluster certificates', () => {
  it('give the kubelet the user and group the Node authorizer admits', () => {
    expect(subject(byName('kubelet-client'))).toBe(`/O=system:nodes/CN=system:node:${NODE_NAME}`);
  });

  it('let the API server be reached at the node IP, the kubernetes Service IP and its DNS names', () => {
    const text = extensions(byName('apiserver'));
    expect(text).toContain(`IP:${NODE_IP}`);
    expect(text).toContain(`IP:${KUBERNETES_SERVICE_IP}`);
    expect(text).toContain('DNS:kubernetes.default.svc.cluster.local');
    expect(text).toContain('extendedKeyUsage = serverAuth');
  });

  it('make client certificates for clients only, with no names', () => {
    const text = extensions(byName('admin'));
    expect(text).toContain('extendedKeyUsage = clientAuth');
    expect(text).not.toContain('subjectAltName');
  });

  it('sign the aggregation-layer client with its own CA and nothing else with it', () => {
    expect(CERTIFICATES.filter((certificate) => certificate.ca === 'front-proxy-ca').map((c) => c.name)).toEqual([
      'front-proxy-client',
    ]);
  });
});
