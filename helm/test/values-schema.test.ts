import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, parseDocument, type YAMLMap } from 'yaml';
import { chartServerSchema } from '@ricochet/config';
import type {
  IContainer,
  IContainerPort,
  IEnvFromSource,
  IEnvVar,
  IEnvVarSource,
  IPodDNSConfig,
  IVolume,
  IVolumeMount,
} from 'kubernetes-models/v1';
import { CHART, render, renderError } from './helpers';

// values.schema.json rejects unknown keys, wrong types and bad enums before anything renders, and the message
// names the key (helm prints a JSON pointer: at '/service/type').
describe('values.schema.json', () => {
  it.each([
    ['an unknown top-level key', { replicas: 3 }, "at '': additional properties 'replicas' not allowed"],
    ['an unknown nested key', { service: { prot: 53 } }, "at '/service': additional properties 'prot' not allowed"],
    [
      'a misspelt probe key',
      { livenessProbe: { timeoutSecond: 9 } },
      "at '/livenessProbe': additional properties 'timeoutSecond' not allowed",
    ],
    [
      'a misspelt security field',
      { securityContext: { readOnlyRootFileSystem: true } },
      "at '/securityContext': additional properties 'readOnlyRootFileSystem' not allowed",
    ],
    ['a wrong type', { replicaCount: 'two' }, "at '/replicaCount': got string, want integer"],
    [
      'a number where a switch belongs',
      { autoscaling: { enabled: 1 } },
      "at '/autoscaling/enabled': got number, want boolean",
    ],
    [
      'a bad service type',
      { service: { type: 'ExternalName' } },
      "at '/service/type': value must be one of 'ClusterIP', 'NodePort', 'LoadBalancer'",
    ],
    [
      'a bad log level',
      { server: { logLevel: 'verbose' } },
      "at '/server/logLevel': value must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'",
    ],
    [
      'a bad pull policy',
      { image: { pullPolicy: 'Sometimes' } },
      "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'",
    ],
    [
      'a bad externalTrafficPolicy',
      { service: { type: 'NodePort', externalTrafficPolicy: 'local' } },
      "at '/service/externalTrafficPolicy': value must be one of",
    ],
    ['a privileged server port', { server: { port: 53 } }, "at '/server/port': minimum: got 53, want 1,024"],
    [
      'a datagram limit above the UDP maximum',
      { server: { maxDatagramBytes: 65508 } },
      "at '/server/maxDatagramBytes': maximum: got 65,508, want 65,507",
    ],
    [
      'a drain longer than an hour',
      { server: { drainSeconds: 3601 } },
      "at '/server/drainSeconds': maximum: got 3,601, want 3,600",
    ],
    [
      'a host name instead of an address',
      { server: { host: 'localhost' } },
      "at '/server/host': 'localhost' does not match pattern",
    ],
    [
      'a malformed digest',
      { image: { digest: 'sha256:abc' } },
      "at '/image/digest': 'sha256:abc' does not match pattern",
    ],
    [
      'a registry given as a URL',
      { image: { registry: 'https://registry.example.com' } },
      "at '/image/registry': 'https://registry.example.com' does not match pattern",
    ],
    [
      'a registry with a trailing slash',
      { image: { registry: 'registry.example.com/' } },
      "at '/image/registry': 'registry.example.com/' does not match pattern",
    ],
    [
      'a repository carrying a tag',
      { image: { repository: 'ricochet/udp-server:1.0' } },
      "at '/image/repository': 'ricochet/udp-server:1.0' does not match pattern",
    ],
    ['an empty repository', { image: { repository: '' } }, "at '/image/repository': '' does not match pattern"],
    [
      'a global registry given as a URL',
      { global: { imageRegistry: 'https://mirror.example.com' } },
      "at '/global/imageRegistry': 'https://mirror.example.com' does not match pattern",
    ],
    [
      'a global registry that is not a string',
      { global: { imageRegistry: true } },
      "at '/global/imageRegistry': got boolean, want string",
    ],
    [
      'a kubelet timeout of 1 second',
      { readinessProbe: { timeoutSeconds: 1 } },
      "at '/readinessProbe/timeoutSeconds': minimum: got 1, want 2",
    ],
    ['a malformed CPU quantity', { resources: { requests: { cpu: 'lots' } } }, "at '/resources/requests/cpu'"],
    [
      'an unknown resource',
      { resources: { limits: { gpu: 1 } } },
      "at '/resources/limits': additional properties 'gpu' not allowed",
    ],
    ['a bad percentage', { rollingUpdate: { maxSurge: 'half' } }, "at '/rollingUpdate/maxSurge'"],
    [
      'a topology spread entry without a key',
      { topologySpreadConstraints: [{ maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }] },
      "at '/topologySpreadConstraints/0': missing property 'topologyKey'",
    ],
    [
      'a NetworkPolicy peer of an unknown kind',
      { networkPolicy: { udpFrom: [{ serviceSelector: {} }] } },
      "at '/networkPolicy/udpFrom/0': additional properties 'serviceSelector' not allowed",
    ],
    ['a bad probe mode', { probes: { mode: 'grpc' } }, "at '/probes/mode': value must be one of 'exec', 'http'"],
    [
      'an http probe timeout of 1 second',
      { probes: { httpTimeoutSeconds: 1 } },
      "at '/probes/httpTimeoutSeconds': minimum: got 1, want 2",
    ],
    ['a privileged metrics port', { metrics: { port: 80 } }, "at '/metrics/port': minimum: got 80, want 1,024"],
    [
      'a metrics host name instead of an address',
      { metrics: { host: 'localhost' } },
      "at '/metrics/host': 'localhost' does not match pattern",
    ],
    [
      'a misspelt metrics key',
      { metrics: { serviceMonitor: { enable: true } } },
      "at '/metrics/serviceMonitor': additional properties 'enable' not allowed",
    ],
    [
      'a scrape interval without a unit',
      { metrics: { serviceMonitor: { interval: '30' } } },
      "at '/metrics/serviceMonitor/interval': '30' does not match pattern",
    ],
    [
      'a rule window without a unit',
      { metrics: { prometheusRule: { rateWindow: 5 } } },
      "at '/metrics/prometheusRule/rateWindow': got number, want string",
    ],
    [
      'braces in the target selector',
      { metrics: { prometheusRule: { targetSelector: '{job="x"}' } } },
      "at '/metrics/prometheusRule/targetSelector'",
    ],
    [
      'a drop ratio above 1',
      { metrics: { prometheusRule: { alerts: { dropRatio: { threshold: 2 } } } } },
      "at '/metrics/prometheusRule/alerts/dropRatio/threshold': maximum: got 2, want 1",
    ],
    [
      'a drop reason the server does not count',
      { metrics: { prometheusRule: { alerts: { dropRatio: { ignoreReasons: ['spoofed'] } } } } },
      "at '/metrics/prometheusRule/alerts/dropRatio/ignoreReasons/0': value must be one of 'too_short'",
    ],
    [
      'an unknown alert',
      { metrics: { prometheusRule: { alerts: { diskFull: { enabled: true } } } } },
      "at '/metrics/prometheusRule/alerts': additional properties 'diskFull' not allowed",
    ],
    [
      'an alert without a unit on for',
      { metrics: { prometheusRule: { alerts: { down: { for: '5' } } } } },
      "at '/metrics/prometheusRule/alerts/down/for': '5' does not match pattern",
    ],
    [
      'a numeric dashboard label value',
      { metrics: { grafanaDashboard: { labelValue: 1 } } },
      "at '/metrics/grafanaDashboard/labelValue': got number, want string",
    ],
    [
      'a drop-log interval under 0.1 s',
      { server: { dropLogIntervalSeconds: 0 } },
      "at '/server/dropLogIntervalSeconds': minimum: got 0, want 0.1",
    ],
    [
      'a fractional datagram target',
      { autoscaling: { datagrams: { averageValue: 1.5 } } },
      "at '/autoscaling/datagrams/averageValue': got number, want integer",
    ],
    [
      'a custom metric name with a dash',
      { autoscaling: { datagrams: { metricName: 'datagrams-per-second' } } },
      "at '/autoscaling/datagrams/metricName': 'datagrams-per-second' does not match pattern",
    ],
    [
      'a metrics peer of an unknown kind',
      { networkPolicy: { metricsFrom: [{ serviceSelector: {} }] } },
      "at '/networkPolicy/metricsFrom/0': additional properties 'serviceSelector' not allowed",
    ],
    [
      'a label value that is not a string',
      { commonLabels: { tier: 1 } },
      "at '/commonLabels/tier': got number, want string",
    ],
    [
      'a label value longer than 63 characters',
      { commonLabels: { tier: 'x'.repeat(64) } },
      "at '/commonLabels/tier': maxLength: got 64, want 63",
    ],
    ['a label key with a space', { commonLabels: { 'my tier': 'a' } }, "invalid propertyName 'my tier'"],
    [
      'an annotation value that is not a string',
      { commonAnnotations: { 'example.com/replicas': 2 } },
      "at '/commonAnnotations/example.com~1replicas': got number, want string",
    ],
    ['an env entry without a name', { extraEnv: [{ value: 'x' }] }, "at '/extraEnv/0': missing property 'name'"],
    ['a numeric env value', { extraEnv: [{ name: 'A', value: 1 }] }, "at '/extraEnv/0/value': got number, want string"],
    [
      'an env entry with both value and valueFrom',
      { extraEnv: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] },
      "at '/extraEnv/0': 'not' failed",
    ],
    [
      'an envFrom source of neither kind',
      { extraEnvFrom: [{ prefix: 'X_' }] },
      "at '/extraEnvFrom/0': missing property 'configMapRef'",
    ],
    [
      'a volume with two sources',
      { extraVolumes: [{ name: 'v', emptyDir: {}, configMap: { name: 'c' } }] },
      "at '/extraVolumes/0': maxProperties: got 3, want 2",
    ],
    [
      'a volume without a source',
      { extraVolumes: [{ name: 'v' }] },
      "at '/extraVolumes/0': minProperties: got 1, want 2",
    ],
    [
      'a volume mount without a path',
      { extraVolumeMounts: [{ name: 'v' }] },
      "at '/extraVolumeMounts/0': missing property 'mountPath'",
    ],
    ['a sidecar without an image', { sidecars: [{ name: 'a' }] }, "at '/sidecars/0': missing property 'image'"],
    [
      'a misspelt container field',
      { initContainers: [{ name: 'a', image: 'x', imagePullPolcy: 'Always' }] },
      "at '/initContainers/0': additional properties 'imagePullPolcy' not allowed",
    ],
    [
      'a sidecar port of an unknown protocol',
      { sidecars: [{ name: 'a', image: 'x', ports: [{ containerPort: 1, protocol: 'QUIC' }] }] },
      "at '/sidecars/0/ports/0/protocol': value must be one of 'TCP', 'UDP', 'SCTP'",
    ],
    [
      'a session affinity kube-proxy does not know',
      { service: { sessionAffinity: 'SourcePort' } },
      "at '/service/sessionAffinity': value must be one of 'None', 'ClientIP'",
    ],
    [
      'an affinity timeout above a day',
      { service: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } } },
      "at '/service/sessionAffinityConfig/clientIP/timeoutSeconds': maximum: got 86,401, want 86,400",
    ],
    ['a DNS policy in the wrong case', { dnsPolicy: 'clusterFirst' }, "at '/dnsPolicy': value must be one of"],
    [
      'four nameservers',
      { dnsConfig: { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'] } },
      "at '/dnsConfig/nameservers': maxItems: got 4, want 3",
    ],
    [
      'a numeric resolver option',
      { dnsConfig: { options: [{ name: 'ndots', value: 1 }] } },
      "at '/dnsConfig/options/0/value': got number, want string",
    ],
    ['a host network switch as a string', { hostNetwork: 'yes' }, "at '/hostNetwork': got string, want boolean"],
    [
      'an extra manifest that is neither a map nor a string',
      { extraManifests: [5] },
      "at '/extraManifests/0': 'oneOf' failed, none matched",
    ],
    [
      'an extra manifest without metadata',
      { extraManifests: [{ apiVersion: 'v1', kind: 'ConfigMap' }] },
      "at '/extraManifests/0': missing property 'metadata'",
    ],
    [
      'a runbook base with an anchor of its own',
      { metrics: { prometheusRule: { runbookBaseUrl: 'https://wiki.example.com/udp#alerts' } } },
      "at '/metrics/prometheusRule/runbookBaseUrl': 'https://wiki.example.com/udp#alerts' does not match pattern",
    ],
  ])('rejects %s, naming the key', (_case, values, message) => {
    const error = renderError({ values });
    expect(error).toContain("values don't meet the specifications of the schema");
    expect(error).toContain(message);
  });

  it.each([
    ['a registry with a port', { image: { registry: '127.0.0.1:5000' } }],
    ['a registry with a path below the host', { global: { imageRegistry: 'harbor.example.com/ghcr-proxy' } }],
    [
      'no registry and a repository naming its host',
      { image: { registry: '', repository: 'localhost:5000/team/udp-server' } },
    ],
    ["a parent chart's own global values", { global: { storageClass: 'fast', imageRegistry: '' } }],
  ])('accepts %s', (_case, values) => {
    expect(() => render({ values })).not.toThrow();
  });

  it('accepts the defaults and keeps every property described', () => {
    expect(() => render()).not.toThrow();
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as SchemaNode;
    expect(undescribed(schema, '')).toEqual([]);
  });

  it('closes every object the chart owns (additionalProperties: false)', () => {
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as SchemaNode;
    expect(schema.additionalProperties).toBe(false);
    for (const key of [
      'image',
      'server',
      'metrics',
      'probes',
      'service',
      'serviceAccount',
      'autoscaling',
      'podDisruptionBudget',
      'networkPolicy',
      'test',
      'rollingUpdate',
    ]) {
      expect({ key, additionalProperties: schema.properties![key]!.additionalProperties }).toEqual({
        key,
        additionalProperties: false,
      });
    }
  });
});

interface SchemaNode {
  description?: string;
  $ref?: string;
  additionalProperties?: boolean | SchemaNode;
  properties?: Record<string, SchemaNode>;
}

function undescribed(node: SchemaNode, path: string): string[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => [
    ...(child.description || child.$ref ? [] : [`${path}/${key}`]),
    ...undescribed(child, `${path}/${key}`),
  ]);
}

// Kubernetes objects passed through as they are: documented as a whole at their key, not field by field.
const PASSTHROUGH = new Set(['podSecurityContext', 'securityContext', 'resources', 'test.resources']);

describe('values.yaml', () => {
  it('documents every key with a comment above it', () => {
    const doc = parseDocument(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
    const missing: string[] = [];
    const walk = (map: YAMLMap, path: string[]): void => {
      map.items.forEach((pair, index) => {
        const key = String((pair.key as { value: unknown }).value);
        const name = [...path, key].join('.');
        const comment =
          (pair.key as { commentBefore?: string }).commentBefore ?? (index === 0 ? map.commentBefore : undefined);
        if (!comment?.trim()) missing.push(name);
        if (isMap(pair.value) && !PASSTHROUGH.has(name)) walk(pair.value, [...path, key]);
      });
    };
    walk(doc.contents as YAMLMap, []);
    expect(missing).toEqual([]);
  });
});

// The Kubernetes types the chart accepts in values (extraEnv, sidecars, …) are closed in values.schema.json, so a
// misspelt field fails before anything renders. Each lists exactly the fields of the type in kubernetes-models
// (the Kubernetes version the tests validate against): the compiler checks each list below against the type,
// and the test each schema against its list.
type Fields<T> = { readonly [K in keyof Required<T>]: true };
const fields = <T>(list: Fields<T>): string[] => Object.keys(list).sort();

const KUBERNETES_TYPES: [definition: string, fields: string[]][] = [
  [
    'container',
    fields<IContainer>({
      args: true,
      command: true,
      env: true,
      envFrom: true,
      image: true,
      imagePullPolicy: true,
      lifecycle: true,
      livenessProbe: true,
      name: true,
      ports: true,
      readinessProbe: true,
      resizePolicy: true,
      resources: true,
      restartPolicy: true,
      securityContext: true,
      startupProbe: true,
      stdin: true,
      stdinOnce: true,
      terminationMessagePath: true,
      terminationMessagePolicy: true,
      tty: true,
      volumeDevices: true,
      volumeMounts: true,
      workingDir: true,
    }),
  ],
  [
    'containerPort',
    fields<IContainerPort>({ containerPort: true, hostIP: true, hostPort: true, name: true, protocol: true }),
  ],
  ['envVar', fields<IEnvVar>({ name: true, value: true, valueFrom: true })],
  [
    'envVar/valueFrom',
    fields<IEnvVarSource>({ configMapKeyRef: true, fieldRef: true, resourceFieldRef: true, secretKeyRef: true }),
  ],
  ['podDNSConfig', fields<IPodDNSConfig>({ nameservers: true, options: true, searches: true })],
  ['envFromSource', fields<IEnvFromSource>({ configMapRef: true, prefix: true, secretRef: true })],
  [
    'volume',
    fields<IVolume>({
      awsElasticBlockStore: true,
      azureDisk: true,
      azureFile: true,
      cephfs: true,
      cinder: true,
      configMap: true,
      csi: true,
      downwardAPI: true,
      emptyDir: true,
      ephemeral: true,
      fc: true,
      flexVolume: true,
      flocker: true,
      gcePersistentDisk: true,
      gitRepo: true,
      glusterfs: true,
      hostPath: true,
      image: true,
      iscsi: true,
      name: true,
      nfs: true,
      persistentVolumeClaim: true,
      photonPersistentDisk: true,
      portworxVolume: true,
      projected: true,
      quobyte: true,
      rbd: true,
      scaleIO: true,
      secret: true,
      storageos: true,
      vsphereVolume: true,
    }),
  ],
  [
    'volumeMount',
    fields<IVolumeMount>({
      mountPath: true,
      mountPropagation: true,
      name: true,
      readOnly: true,
      recursiveReadOnly: true,
      subPath: true,
      subPathExpr: true,
    }),
  ],
];

describe('the Kubernetes types in values.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as {
    definitions: Record<string, SchemaNode>;
  };

  it.each(KUBERNETES_TYPES)('%s is closed and lists exactly the fields of its Kubernetes type', (name, expected) => {
    const [definition, ...path] = name.split('/');
    const node = path.reduce((n, key) => n.properties![key]!, schema.definitions[definition!]!);
    expect(node.additionalProperties).toBe(false);
    expect(Object.keys(node.properties!).sort()).toEqual(expected);
  });
});

describe('the schema of the server values', () => {
  it('is the one generated from libs/config (run `nx run config:generate` after changing a setting)', () => {
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    };
    expect(schema.properties['server']).toEqual(chartServerSchema());
  });
});
