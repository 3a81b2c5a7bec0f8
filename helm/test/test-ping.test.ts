import type { IPodSpec } from 'kubernetes-models/v1';
import type { IDeploymentSpec } from 'kubernetes-models/apps/v1';
import { FULLNAME, type Manifest, type PodSpecFields, ofKind, one, render, restrictedViolations } from './helpers';

type Pod = Manifest & { spec: IPodSpec };
type Deployment = Manifest & { spec: IDeploymentSpec & { template: { spec: IPodSpec } } };

function pod(values: Record<string, unknown> = {}): Pod {
  return one<Pod>(render({ values }), 'Pod');
}

describe('tests/test-ping.yaml', () => {
  it('is a helm test hook that PINGs the Service by its DNS name and port with the probe CLI', () => {
    const p = pod();
    expect(p.metadata.name).toBe(`${FULLNAME}-test-ping`);
    expect(p.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'test' });
    expect(p.spec.restartPolicy).toBe('Never');
    expect(p.spec.containers[0]!.command).toEqual([
      '/nodejs/bin/node',
      '/app/health-probe/main.js',
      'ping',
      '--host',
      `${FULLNAME}.udp.svc`,
      '--port',
      '9999',
      '--count',
      '5',
      '--interval',
      '0.2',
      '--timeout',
      '3',
    ]);
  });

  it('passes test.timeoutMs in the seconds ping takes, fractions included', () => {
    expect(pod({ test: { timeoutMs: 2500 } }).spec.containers[0]!.command).toEqual(
      expect.arrayContaining(['--timeout', '2.5']),
    );
  });

  it('targets service.port, not the container port', () => {
    expect(pod({ service: { port: 53 } }).spec.containers[0]!.command).toEqual(
      expect.arrayContaining(['--port', '53']),
    );
  });

  it.each([
    ['pinned by tag', { image: { tag: '3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d' } }, 'ghcr.io/'],
    ['pinned by digest', { image: { digest: `sha256:${'cd'.repeat(32)}` } }, 'ghcr.io/'],
    ['from another registry', { image: { registry: 'registry.example.com' } }, 'registry.example.com/'],
    [
      'from the global.imageRegistry mirror',
      { global: { imageRegistry: 'mirror.example.com/proxy' } },
      'mirror.example.com/proxy/',
    ],
  ])('runs exactly the image of the Deployment, %s', (_case, values, registry) => {
    const manifests = render({ values });
    const deployment = one<Deployment>(manifests, 'Deployment');
    const test = one<Pod>(manifests, 'Pod');
    expect(test.spec.containers[0]!.image).toBe(deployment.spec.template.spec.containers[0]!.image);
    const prefix = `${registry}ricochet/udp-server`;
    expect(test.spec.containers[0]!.image?.slice(0, prefix.length)).toBe(prefix);
    expect(test.spec.containers[0]!.imagePullPolicy).toBe(deployment.spec.template.spec.containers[0]!.imagePullPolicy);
  });

  it('meets the Pod Security Standard "restricted", with resources and no token', () => {
    const p = pod();
    expect(restrictedViolations(p.spec as PodSpecFields)).toEqual([]);
    expect(p.spec.automountServiceAccountToken).toBe(false);
    expect(p.spec.containers[0]!.resources).toEqual({
      requests: { cpu: '50m', memory: '96Mi' },
      limits: { cpu: '500m', memory: '96Mi' },
    });
  });

  it("does not match the Deployment's selector, so its ReplicaSet can never adopt it", () => {
    const manifests = render();
    const selector = one<Deployment>(manifests, 'Deployment').spec.selector.matchLabels!;
    const labels = one<Pod>(manifests, 'Pod').metadata.labels!;
    expect(Object.entries(selector).every(([key, value]) => labels[key] === value)).toBe(false);
  });

  it('renders no test Pod when test.enabled is false', () => {
    expect(ofKind(render({ values: { test: { enabled: false } } }), 'Pod')).toEqual([]);
  });
});
