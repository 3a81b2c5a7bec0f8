import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import type { IDeploymentSpec } from 'kubernetes-models/apps/v1';
import {
  FULLNAME,
  type Manifest,
  type PodSpecFields,
  one,
  podTemplateAnnotations,
  render,
  renderError,
  restrictedViolations,
} from './helpers';

type Deployment = Manifest & { spec: IDeploymentSpec & { template: { spec: IPodSpec } } };

function deployment(values: Record<string, unknown> = {}, valuesFiles: string[] = []): Deployment {
  return one<Deployment>(render({ values, valuesFiles }), 'Deployment');
}

function container(values: Record<string, unknown> = {}): IContainer {
  const containers = deployment(values).spec.template.spec.containers;
  expect(containers).toHaveLength(1);
  return containers[0]!;
}

const PROBE_PREFIX = ['/nodejs/bin/node', '/app/health-probe/main.js', 'check'];

const METRICS_PORT = { name: 'metrics', containerPort: 9464, protocol: 'TCP' };

describe('deployment.yaml: ports', () => {
  it('declares the UDP port, named udp-<port>, and the TCP metrics port, named metrics, with their protocols written out', () => {
    expect(container().ports).toEqual([{ name: 'udp-9999', containerPort: 9999, protocol: 'UDP' }, METRICS_PORT]);
  });

  it('follows server.port', () => {
    expect(container({ server: { port: 5353 } }).ports).toEqual([
      { name: 'udp-5353', containerPort: 5353, protocol: 'UDP' },
      METRICS_PORT,
    ]);
  });

  it('follows metrics.port', () => {
    expect(container({ metrics: { port: 9100 } }).ports?.[1]).toEqual({
      name: 'metrics',
      containerPort: 9100,
      protocol: 'TCP',
    });
  });
});

describe('deployment.yaml: probes', () => {
  it('runs startup and liveness as `check --expect alive` and readiness as `check --expect serving`, with the image Node by absolute path', () => {
    const c = container();
    expect(c.startupProbe?.exec?.command).toEqual([
      ...PROBE_PREFIX,
      '--expect',
      'alive',
      '--host',
      '127.0.0.1',
      '--port',
      '9999',
      '--timeout-ms',
      '1500',
    ]);
    expect(c.livenessProbe?.exec?.command).toEqual([
      ...PROBE_PREFIX,
      '--expect',
      'alive',
      '--host',
      '127.0.0.1',
      '--port',
      '9999',
      '--timeout-ms',
      '3000',
    ]);
    expect(c.readinessProbe?.exec?.command).toEqual([
      ...PROBE_PREFIX,
      '--expect',
      'serving',
      '--host',
      '127.0.0.1',
      '--port',
      '9999',
      '--timeout-ms',
      '1500',
    ]);
  });

  it('gives every probe a kubelet timeout of several seconds, never the 1-second default', () => {
    const c = container();
    for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
      expect(probe?.timeoutSeconds).toBeGreaterThanOrEqual(3);
      expect(probe?.httpGet ?? probe?.tcpSocket ?? probe?.grpc).toBeUndefined();
    }
    expect(c.livenessProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    expect(c.readinessProbe).toMatchObject({
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 1,
      successThreshold: 1,
    });
    expect(c.startupProbe).toMatchObject({ periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 30 });
  });

  it('probes the address the server binds when it is not a wildcard, and its port', () => {
    const c = container({ server: { host: '10.1.2.3', port: 7000 } });
    expect(c.readinessProbe?.exec?.command).toEqual(expect.arrayContaining(['--host', '10.1.2.3', '--port', '7000']));
  });

  it('probes loopback when the server binds ::', () => {
    expect(container({ server: { host: '::' } }).livenessProbe?.exec?.command).toEqual(
      expect.arrayContaining(['--host', '127.0.0.1']),
    );
  });

  it.each(['startupProbe', 'livenessProbe', 'readinessProbe'] as const)('leaves %s out when it is disabled', (key) => {
    const c = container({ [key]: { enabled: false } });
    expect(c[key]).toBeUndefined();
    const others = (['startupProbe', 'livenessProbe', 'readinessProbe'] as const).filter((k) => k !== key);
    for (const other of others) expect(c[other]).toBeDefined();
  });

  it('fails when a probe timeout leaves no room for Node start-up, naming the keys', () => {
    expect(renderError({ values: { livenessProbe: { timeoutSeconds: 3, checkTimeoutMs: 2000 } } })).toContain(
      'livenessProbe.checkTimeoutMs (2000) must be at most livenessProbe.timeoutSeconds x 1000 - 1500 = 1500',
    );
  });
});

describe('deployment.yaml: probes.mode http', () => {
  const http = { probes: { mode: 'http' } };

  it('keeps exec probes over UDP as the default mode', () => {
    const c = container();
    for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
      expect(probe?.exec?.command?.slice(0, 3)).toEqual(PROBE_PREFIX);
      expect(probe?.httpGet).toBeUndefined();
    }
  });

  it('probes /livez (startup, liveness) and /readyz (readiness) with httpGet on the named metrics port', () => {
    const c = container(http);
    expect(c.startupProbe?.httpGet).toEqual({ path: '/livez', port: 'metrics', scheme: 'HTTP' });
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/livez', port: 'metrics', scheme: 'HTTP' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'metrics', scheme: 'HTTP' });
    for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) expect(probe?.exec).toBeUndefined();
  });

  it("uses probes.httpTimeoutSeconds (no Node start-up to allow for) and keeps each probe's period and thresholds", () => {
    const c = container(http);
    expect(c.startupProbe).toMatchObject({ periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 });
    expect(c.livenessProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 });
    expect(c.readinessProbe).toMatchObject({
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 1,
      successThreshold: 1,
    });
    expect(container({ probes: { mode: 'http', httpTimeoutSeconds: 4 } }).readinessProbe?.timeoutSeconds).toBe(4);
  });

  it('follows the metrics port through its name when metrics.port changes', () => {
    const c = container({ ...http, metrics: { port: 9100 } });
    expect(c.readinessProbe?.httpGet?.port).toBe('metrics');
    expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 9100, protocol: 'TCP' });
  });

  it('does not apply the exec start-up budget to checkTimeoutMs in http mode', () => {
    expect(() => container({ ...http, livenessProbe: { timeoutSeconds: 3, checkTimeoutMs: 2000 } })).not.toThrow();
  });

  it('fails when the kubelet could not reach the metrics port because it listens on loopback', () => {
    expect(renderError({ values: { ...http, metrics: { host: '127.0.0.1', service: { enabled: false } } } })).toContain(
      'metrics.host (127.0.0.1) is a loopback address, which only the pod itself can reach, but probes.mode http (the kubelet) must reach the metrics port',
    );
  });

  it('fails on a loopback metrics.host while the metrics Service (on by default) routes to it, naming it', () => {
    expect(renderError({ values: { metrics: { host: '::1' } } })).toContain(
      'but metrics.service must reach the metrics port from outside the pod',
    );
  });

  it('allows a loopback metrics.host when nothing outside the pod reads it', () => {
    expect(container({ metrics: { host: '127.0.0.1', service: { enabled: false } } }).ports).toContainEqual(
      METRICS_PORT,
    );
  });
});

describe('deployment.yaml: scrape annotations', () => {
  it('adds none by default', () => {
    expect(Object.keys(podTemplateAnnotations(deployment()))).toEqual(['checksum/config']);
  });

  it('adds prometheus.io/scrape, port and path with metrics.scrapeAnnotations', () => {
    expect(
      podTemplateAnnotations(deployment({ metrics: { scrapeAnnotations: { enabled: true }, port: 9100 } })),
    ).toEqual({
      'checksum/config': expect.stringMatching(/^[0-9a-f]{64}$/),
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9100',
      'prometheus.io/path': '/metrics',
    });
  });

  it('lets podAnnotations override a scrape annotation, but never checksum/config', () => {
    const annotations = podTemplateAnnotations(
      deployment({
        metrics: { scrapeAnnotations: { enabled: true } },
        podAnnotations: { 'prometheus.io/scrape': 'false', 'checksum/config': 'x' },
      }),
    );
    expect(annotations['prometheus.io/scrape']).toBe('false');
    expect(annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('deployment.yaml: security', () => {
  it('meets the Pod Security Standard "restricted" with a read-only root filesystem', () => {
    const spec = deployment().spec.template.spec;
    expect(restrictedViolations(spec as PodSpecFields)).toEqual([]);
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.containers[0]!.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('mounts no ServiceAccount token and injects no Service environment variables', () => {
    const spec = deployment().spec.template.spec;
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe(FULLNAME);
    expect(spec.enableServiceLinks).toBe(false);
    expect(spec.volumes).toBeUndefined();
  });

  it('detects a weakened security context (the check itself works)', () => {
    const spec = deployment({
      securityContext: { allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, capabilities: { drop: [] } },
    }).spec.template.spec;
    expect(restrictedViolations(spec as PodSpecFields)).toEqual([
      'container udp-server: allowPrivilegeEscalation is not false',
      'container udp-server: capabilities.drop lacks ALL',
      'container udp-server: root filesystem is writable',
    ]);
  });
});

describe('deployment.yaml: resources and replicas', () => {
  it('sets requests and limits by default', () => {
    expect(container().resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '1000m', memory: '256Mi' },
    });
  });

  it('leaves replicas out while the HorizontalPodAutoscaler owns it', () => {
    expect(deployment().spec).not.toHaveProperty('replicas');
  });

  it('sets replicas from replicaCount when autoscaling is off', () => {
    expect(deployment({ autoscaling: { enabled: false }, replicaCount: 3 }).spec.replicas).toBe(3);
  });

  it('rolls out one new pod at a time and keeps every old pod until its replacement is Ready', () => {
    expect(deployment().spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
  });
});

describe('deployment.yaml: draining', () => {
  it('gives the drain window room before SIGKILL', () => {
    const spec = deployment().spec.template.spec;
    expect(spec.terminationGracePeriodSeconds).toBe(15);
  });

  it('accepts a grace period of exactly ceil(drainSeconds) + 2', () => {
    expect(
      deployment({ server: { drainSeconds: 7.2 }, terminationGracePeriodSeconds: 10 }).spec.template.spec
        .terminationGracePeriodSeconds,
    ).toBe(10);
  });

  it('fails when server.drainSeconds does not fit in terminationGracePeriodSeconds, naming both', () => {
    expect(renderError({ values: { server: { drainSeconds: 30 } } })).toContain(
      'terminationGracePeriodSeconds (15) must be at least ceil(server.drainSeconds) + 2 = 32',
    );
  });
});

describe('deployment.yaml: image', () => {
  it('refuses to render without image.tag or image.digest, saying what to set: no default names a published image', () => {
    expect(renderError({ values: { image: { tag: '' } } })).toContain(
      'image.tag is empty: set image.tag to the full git commit sha of a published image',
    );
  });

  it('uses image.tag (CI sets the commit sha)', () => {
    const sha = '3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d';
    expect(container({ image: { tag: sha } }).image).toBe(`ghcr.io/ricochet/udp-server:${sha}`);
  });

  it('pins by digest when image.digest is set, the tag still naming the commit', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(container({ image: { tag: 'x', digest } }).image).toBe(`ghcr.io/ricochet/udp-server:x@${digest}`);
    expect(container({ image: { tag: '', digest } }).image).toBe(`ghcr.io/ricochet/udp-server@${digest}`);
  });
});

describe('deployment.yaml: image registry (image.registry, global.imageRegistry)', () => {
  const digest = `sha256:${'ab'.repeat(32)}`;

  it('puts image.registry before image.repository', () => {
    expect(container({ image: { registry: 'registry.example.com:5000', tag: 'x' } }).image).toBe(
      'registry.example.com:5000/ricochet/udp-server:x',
    );
  });

  it('lets global.imageRegistry replace image.registry, a path below the host included, digest pinning kept', () => {
    expect(
      container({ global: { imageRegistry: 'mirror.example.com/ghcr-proxy' }, image: { tag: 'x', digest } }).image,
    ).toBe(`mirror.example.com/ghcr-proxy/ricochet/udp-server:x@${digest}`);
  });

  it('reads image.repository as the whole name when no registry applies, as before the split', () => {
    expect(
      container({ image: { registry: '', repository: 'registry.example.com/team/udp-server', tag: 'x' } }).image,
    ).toBe('registry.example.com/team/udp-server:x');
    expect(container({ image: { registry: '', repository: 'udp-server', tag: 'dev' } }).image).toBe('udp-server:dev');
  });

  it.each([
    [
      'image.registry',
      {},
      'image.registry is ghcr.io',
      'Set image.registry to registry.example.com and image.repository to team/udp-server',
    ],
    [
      'global.imageRegistry',
      { global: { imageRegistry: 'mirror.example.com' } },
      'global.imageRegistry (mirror.example.com) replaces the registry',
      'Set image.repository to its path, team/udp-server',
    ],
  ])(
    'refuses a repository naming a registry host when %s applies, rather than pull <registry>/<host>/…',
    (_case, values, why, what) => {
      const error = renderError({
        values: { ...values, image: { repository: 'registry.example.com/team/udp-server', tag: 'x' } },
      });
      expect(error).toContain('image.repository (registry.example.com/team/udp-server) starts with the registry host');
      expect(error).toContain(why);
      expect(error).toContain(what);
    },
  );

  it.each(['localhost/udp-server', '127.0.0.1:5000/udp-server'])(
    'counts %s as naming a registry host (Docker’s rule: a dot, a colon or localhost in the first component)',
    (repository) => {
      expect(renderError({ values: { image: { repository, tag: 'x' } } })).toContain('starts with the registry host');
    },
  );

  it('takes a first component without a dot, colon or localhost as a path (Docker Hub organisations)', () => {
    expect(container({ image: { repository: 'team/udp-server', tag: 'x' } }).image).toBe('ghcr.io/team/udp-server:x');
  });
});

describe('deployment.yaml: pod metadata and scheduling', () => {
  it('selects its pods by name and instance only, never by helm.sh/chart', () => {
    const d = deployment();
    expect(d.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'udp-server',
      'app.kubernetes.io/instance': 'ricochet',
    });
    expect(d.spec.template.metadata?.labels).toMatchObject(d.spec.selector.matchLabels!);
  });

  it('adds podLabels and podAnnotations but never lets podLabels change the selector labels', () => {
    const d = deployment({
      podLabels: { team: 'edge', 'app.kubernetes.io/name': 'other' },
      podAnnotations: { a: 'b' },
    });
    expect(d.spec.template.metadata?.labels).toMatchObject({ team: 'edge', 'app.kubernetes.io/name': 'udp-server' });
    expect(d.spec.template.metadata?.annotations).toMatchObject({ a: 'b', 'checksum/config': expect.any(String) });
  });

  it('spreads pods across nodes by default, counting this release per ReplicaSet', () => {
    expect(deployment().spec.template.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'udp-server', 'app.kubernetes.io/instance': 'ricochet' },
        },
        matchLabelKeys: ['pod-template-hash'],
      },
    ]);
  });

  it('keeps a labelSelector given in a constraint', () => {
    const labelSelector = { matchLabels: { tier: 'edge' } };
    const constraints = deployment({
      topologySpreadConstraints: [
        { maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector },
      ],
    }).spec.template.spec.topologySpreadConstraints;
    expect(constraints).toEqual([
      { maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector },
    ]);
  });

  it('renders no topologySpreadConstraints when the list is empty', () => {
    expect(deployment({ topologySpreadConstraints: [] }).spec.template.spec).not.toHaveProperty(
      'topologySpreadConstraints',
    );
  });

  it('passes nodeSelector, tolerations, affinity, priorityClassName and imagePullSecrets through', () => {
    const spec = deployment({}, ['ci/08-custom-server-values.yaml']).spec.template.spec;
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'udp', effect: 'NoSchedule' }]);
    expect(spec.affinity?.nodeAffinity).toBeDefined();
    expect(spec.priorityClassName).toBe('ricochet-high');
    expect(spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });
});
