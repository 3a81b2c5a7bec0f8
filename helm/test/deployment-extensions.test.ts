import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import type { IDeploymentSpec } from 'kubernetes-models/apps/v1';
import { CHART_SERVER_VALUES, serverSettings } from '@ricochet/config';
import { FULLNAME, type Manifest, type PodSpecFields, one, render, renderError, restrictedViolations } from './helpers';

type Deployment = Manifest & { spec: IDeploymentSpec & { template: { spec: IPodSpec } } };

function podSpec(values: Record<string, unknown> = {}, valuesFiles: string[] = []): IPodSpec {
  return one<Deployment>(render({ values, valuesFiles }), 'Deployment').spec.template.spec;
}

function server(spec: IPodSpec): IContainer {
  return spec.containers.find((c) => c.name === 'udp-server')!;
}

const EXTENSIONS = 'ci/12-extensions-values.yaml';
const CHART_CONFIG_MAP = { configMapRef: { name: FULLNAME } };

describe('deployment.yaml: extensions off (the defaults)', () => {
  it('renders the server container alone: no env, no extra envFrom, no volumes, mounts or init containers', () => {
    const spec = podSpec();
    expect(spec.containers.map((c) => c.name)).toEqual(['udp-server']);
    expect(spec).not.toHaveProperty('initContainers');
    expect(spec).not.toHaveProperty('volumes');
    expect(server(spec)).not.toHaveProperty('env');
    expect(server(spec)).not.toHaveProperty('volumeMounts');
    expect(server(spec).envFrom).toEqual([CHART_CONFIG_MAP]);
  });
});

describe('deployment.yaml: extraEnv and extraEnvFrom', () => {
  const spec = podSpec({}, [EXTENSIONS]);

  it('adds extraEnv to the server container as written', () => {
    expect(server(spec).env).toEqual([
      { name: 'NODE_OPTIONS', value: '--max-semi-space-size=16' },
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
  });

  it("lists extraEnvFrom before the chart's ConfigMap, so the last source, the chart's, wins for a server setting", () => {
    expect(server(spec).envFrom).toEqual([
      { configMapRef: { name: 'edge-environment', optional: true }, prefix: 'EDGE_' },
      CHART_CONFIG_MAP,
    ]);
  });

  it('refuses every server setting in extraEnv at once, naming the value that sets each', () => {
    const configMap = render({ showOnly: 'templates/configmap.yaml' })[0] as Manifest & {
      data: Record<string, string>;
    };
    const names = Object.keys(configMap.data);
    const error = renderError({ values: { extraEnv: names.map((name) => ({ name, value: '1' })) } });
    expect(error).toContain('the chart sets these server settings in its ConfigMap from those values');
    const refused = Object.fromEntries([...error.matchAll(/(\w+) \(set ([\w.]+) instead\)/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(refused).sort()).toEqual([...names].sort());
    // The value named is the one the variable comes from: libs/config maps the server.* keys to settings.
    const envOf = (path: string): string | undefined => {
      const [root, ...keys] = path.split('.');
      if (root === 'metrics') return { host: 'METRICS_HOST', port: 'METRICS_PORT' }[keys[0]!];
      let values: object = CHART_SERVER_VALUES;
      for (const key of keys) {
        const entry = (values as Record<string, { setting?: keyof typeof serverSettings; values?: object }>)[key];
        if (entry?.setting) return serverSettings[entry.setting].env;
        values = entry?.values ?? {};
      }
      return undefined;
    };
    for (const [name, path] of Object.entries(refused)) expect({ path, env: envOf(path) }).toEqual({ path, env: name });
  });
});

describe('deployment.yaml: extraVolumes and extraVolumeMounts', () => {
  it('adds the volumes to the pod and the mounts to the server container', () => {
    const spec = podSpec({}, [EXTENSIONS]);
    expect(spec.volumes?.map((v) => v.name)).toEqual(['scratch', 'geoip']);
    expect(server(spec).volumeMounts).toEqual([{ name: 'geoip', mountPath: '/etc/geoip', readOnly: true }]);
  });

  it('fails on a mount of a volume extraVolumes does not define, naming the container and the volume', () => {
    expect(renderError({ values: { extraVolumeMounts: [{ name: 'data', mountPath: '/data' }] } })).toContain(
      'the server container (extraVolumeMounts) mounts the volume data, which extraVolumes does not define',
    );
  });

  it('fails on two volumes of one name', () => {
    const volume = { name: 'tmp', emptyDir: {} };
    expect(renderError({ values: { extraVolumes: [volume, volume] } })).toContain(
      'extraVolumes has two volumes named tmp',
    );
  });
});

describe('deployment.yaml: sidecars and initContainers', () => {
  const spec = podSpec({}, [EXTENSIONS]);

  it('runs the sidecars after the server and the init containers before it, as written', () => {
    expect(spec.containers.map((c) => c.name)).toEqual(['udp-server', 'stats-relay']);
    expect(spec.containers[1]!.ports).toEqual([{ name: 'statsd', containerPort: 8125, protocol: 'UDP' }]);
    expect(spec.initContainers?.map((c) => [c.name, c.restartPolicy])).toEqual([
      ['geoip-check', undefined],
      ['log-forwarder', 'Always'],
    ]);
  });

  it('still meets the restricted Pod Security Standard when the extensions do', () => {
    expect(restrictedViolations(spec as PodSpecFields)).toEqual([]);
  });

  it('counts a weak sidecar or init container as a violation (the check looks at them)', () => {
    const weak = { image: 'registry.example.com/x:1', securityContext: { allowPrivilegeEscalation: false } };
    expect(
      restrictedViolations(
        podSpec({ sidecars: [{ name: 'a', ...weak }], initContainers: [{ name: 'b', ...weak }] }) as PodSpecFields,
      ),
    ).toEqual(
      expect.arrayContaining(['container a: capabilities.drop lacks ALL', 'container b: capabilities.drop lacks ALL']),
    );
  });

  it.each([
    [
      'a sidecar named like the server',
      { sidecars: [{ name: 'udp-server', image: 'x' }] },
      'sidecars[0] (udp-server) is named udp-server, like another container',
    ],
    [
      'an init container and a sidecar of one name',
      { initContainers: [{ name: 'a', image: 'x' }], sidecars: [{ name: 'a', image: 'y' }] },
      'sidecars[0] (a) is named a, like another container',
    ],
    [
      'a sidecar on the server port',
      { sidecars: [{ name: 'a', image: 'x', ports: [{ containerPort: 9999, protocol: 'UDP' }] }] },
      'sidecars[0] (a) declares port 9999/UDP, which server.port already uses',
    ],
    [
      'a native sidecar on the metrics port',
      { initContainers: [{ name: 'a', image: 'x', restartPolicy: 'Always', ports: [{ containerPort: 9464 }] }] },
      'initContainers[0] (a) declares port 9464/TCP, which metrics.port already uses',
    ],
    [
      'two sidecars on one port',
      {
        sidecars: [
          { name: 'a', image: 'x', ports: [{ containerPort: 8125, protocol: 'UDP' }] },
          { name: 'b', image: 'x', ports: [{ containerPort: 8125, protocol: 'UDP' }] },
        ],
      },
      'sidecars[1] (b) declares port 8125/UDP, which sidecars[0] (a) already uses',
    ],
    [
      'a sidecar mounting an unknown volume',
      { sidecars: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/v' }] }] },
      'sidecars[0] (a) mounts the volume v, which extraVolumes does not define',
    ],
  ])('fails on %s', (_case, values, message) => {
    expect(renderError({ values })).toContain(message);
  });

  it('lets an init container that exits before the server starts declare the server port', () => {
    const init = [{ name: 'a', image: 'x', ports: [{ containerPort: 9999, protocol: 'UDP' }] }];
    expect(podSpec({ initContainers: init }).initContainers).toHaveLength(1);
  });
});

describe('deployment.yaml: hostNetwork', () => {
  const HOST_NETWORK = 'ci/13-host-network-values.yaml';
  const spec = podSpec({}, [HOST_NETWORK]);

  it('is off by default: the pod network, no hostPort, no DNS policy or anti-affinity of the chart', () => {
    const defaults = podSpec();
    expect(defaults).not.toHaveProperty('hostNetwork');
    expect(defaults).not.toHaveProperty('dnsPolicy');
    expect(defaults).not.toHaveProperty('dnsConfig');
    expect(defaults).not.toHaveProperty('affinity');
    expect(server(defaults).ports?.every((p) => p.hostPort === undefined)).toBe(true);
  });

  it('opens server.port and metrics.port on the node, each hostPort equal to its containerPort', () => {
    expect(spec.hostNetwork).toBe(true);
    expect(server(spec).ports).toEqual([
      { name: 'udp-9999', containerPort: 9999, hostPort: 9999, protocol: 'UDP' },
      { name: 'metrics', containerPort: 9464, hostPort: 9464, protocol: 'TCP' },
    ]);
    const moved = server(podSpec({ server: { port: 5353 }, metrics: { port: 9100 } }, [HOST_NETWORK])).ports;
    expect(moved?.map((p) => [p.containerPort, p.hostPort])).toEqual([
      [5353, 5353],
      [9100, 9100],
    ]);
  });

  it('keeps the probes right: exec probes on 127.0.0.1 (the node shares it), httpGet on the named metrics port', () => {
    expect(server(spec).readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'metrics', scheme: 'HTTP' });
    const exec = server(podSpec({ probes: { mode: 'exec' } }, [HOST_NETWORK]));
    expect(exec.livenessProbe?.exec?.command).toEqual(
      expect.arrayContaining(['--host', '127.0.0.1', '--port', '9999']),
    );
  });

  it('resolves cluster names by default (ClusterFirstWithHostNet), and takes an explicit dnsPolicy', () => {
    expect(spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(podSpec({ dnsPolicy: 'Default' }, [HOST_NETWORK]).dnsPolicy).toBe('Default');
  });

  it('keeps two pods of the release off one node with a required anti-affinity, added to the user’s affinity', () => {
    const term = {
      labelSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'udp-server', 'app.kubernetes.io/instance': 'ricochet' },
      },
      topologyKey: 'kubernetes.io/hostname',
    };
    expect(spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([term]);
    expect(spec.affinity?.nodeAffinity).toBeDefined();
    const own = { labelSelector: { matchLabels: { app: 'other-udp' } }, topologyKey: 'kubernetes.io/hostname' };
    const merged = podSpec(
      { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [own] } } },
      [HOST_NETWORK],
    );
    expect(merged.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([own, term]);
  });

  it('is what the restricted Pod Security Standard forbids (host namespace, hostPort): the values say so', () => {
    expect(restrictedViolations(spec as PodSpecFields)).toEqual(['host namespaces', 'container udp-server: hostPort']);
  });

  it.each([0, '0%'])(
    'fails with rollingUpdate.maxUnavailable %p: a rollout could never free a node',
    (maxUnavailable) => {
      expect(renderError({ values: { rollingUpdate: { maxUnavailable } }, valuesFiles: [HOST_NETWORK] })).toContain(
        'hostNetwork needs rollingUpdate.maxUnavailable of at least 1 (it is 0)',
      );
    },
  );

  it('fails with networkPolicy.enabled, which would not cover pods in the node’s network', () => {
    expect(renderError({ values: { networkPolicy: { enabled: true } }, valuesFiles: [HOST_NETWORK] })).toContain(
      'networkPolicy.enabled does not protect hostNetwork pods',
    );
  });
});

describe('deployment.yaml: dnsPolicy and dnsConfig', () => {
  it('passes dnsConfig through', () => {
    expect(podSpec({}, [EXTENSIONS]).dnsConfig).toEqual({ options: [{ name: 'ndots', value: '1' }] });
  });

  it('sets dnsPolicy None with the nameservers of dnsConfig', () => {
    const spec = podSpec({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.10'] } });
    expect([spec.dnsPolicy, spec.dnsConfig]).toEqual(['None', { nameservers: ['10.0.0.10'] }]);
  });

  it('fails on dnsPolicy None without nameservers', () => {
    expect(renderError({ values: { dnsPolicy: 'None' } })).toContain('dnsPolicy None needs dnsConfig.nameservers');
  });
});
