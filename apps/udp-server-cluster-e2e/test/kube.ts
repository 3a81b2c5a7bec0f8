import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { makeTempDir, run, runOk, type Run } from '@ricochet/testing';
import { parse } from 'yaml';
import { CHART, HELM, KUBECTL, ROOT, required } from './cluster-env';

/** kubectl, helm and the API server of the test cluster, as the tests use them. */

const HELM_HOME = makeTempDir('cluster-e2e-helm');
const helmEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  KUBECONFIG: required('kubeconfig'),
  // Hermetic: no user repositories, plugins or cache.
  HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
  HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
  HELM_DATA_HOME: join(HELM_HOME, 'data'),
});

export function kubectl(args: readonly string[], input?: string, timeoutMs = 120_000): Promise<Run> {
  return run(KUBECTL, [`--kubeconfig=${required('kubeconfig')}`, ...args], {
    timeoutMs,
    ...(input === undefined ? {} : { input }),
  });
}

export function kubectlOk(args: readonly string[], input?: string, timeoutMs = 120_000): Promise<Run> {
  return runOk(KUBECTL, [`--kubeconfig=${required('kubeconfig')}`, ...args], {
    timeoutMs,
    ...(input === undefined ? {} : { input }),
  });
}

export function helm(args: readonly string[], timeoutMs = 300_000): Promise<Run> {
  return run(HELM, args, { env: helmEnv(), timeoutMs, cwd: ROOT });
}

export function helmOk(args: readonly string[], timeoutMs = 300_000): Promise<Run> {
  return runOk(HELM, args, { env: helmEnv(), timeoutMs, cwd: ROOT });
}

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

function readKubeconfig(): Kubeconfig {
  return parse(readFileSync(required('kubeconfig'), 'utf8')) as Kubeconfig;
}

/** The node's address, read from the API server's URL (it listens on the node IP): NodePorts answer on it. */
export function nodeIp(): string {
  return new URL(readKubeconfig().clusters[0]!.cluster.server).hostname;
}

/**
 * Resolves once kube-proxy has written the rule that routes UDP `nodePort` to the Service's endpoints (a jump to
 * its KUBE-EXT- chain in KUBE-NODEPORTS, written only while the Service has ready endpoints). helm's --wait ends
 * when the pods are Ready, which can be before that: datagrams sent in between meet no rule and are lost. For tests
 * that cannot spend a PING on finding out (the reply limits count every one).
 */
export async function untilNodePortRouted(nodePort: number, timeoutMs = 30_000): Promise<void> {
  const routed = new RegExp(`-p udp .*--dport ${nodePort} .*-j KUBE-EXT-`);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { stdout } = await runOk('iptables', ['-w', '5', '-t', 'nat', '-S', 'KUBE-NODEPORTS']);
    if (stdout.split('\n').some((rule) => routed.test(rule))) return;
    if (performance.now() > deadline) {
      throw new Error(`kube-proxy wrote no rule for UDP NodePort ${nodePort} in ${timeoutMs} ms:\n${stdout}`);
    }
    // iptables has no watch: each -S is one read of the table, a few ms.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A namespace for the tests of the enclosing describe block: made before them and deleted after them, or around
 * each of them with `each`. Register it before the hooks that install into it.
 */
export function inNamespace(name: string, { each = false } = {}): void {
  (each ? beforeEach : beforeAll)(() => createNamespace(name), 300_000);
  (each ? afterEach : afterAll)(() => deleteNamespace(name), 300_000);
}

/** A namespace for one test, labelled to enforce the restricted Pod Security Standard. */
export async function createNamespace(name: string, labels: Readonly<Record<string, string>> = {}): Promise<void> {
  await kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=true'], undefined, 180_000);
  const manifest = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        ...labels,
      },
    },
  };
  await kubectlOk(['apply', '-f', '-'], JSON.stringify(manifest));
}

export async function deleteNamespace(name: string): Promise<void> {
  await kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=true'], undefined, 180_000);
}

export interface ReleaseOptions {
  readonly release: string;
  readonly namespace: string;
  readonly valuesFiles?: readonly string[];
  readonly set?: Readonly<Record<string, string | number | boolean>>;
  /** `--wait=watcher` (every object ready) unless false. */
  readonly wait?: boolean;
  readonly timeout?: string;
  readonly upgrade?: boolean;
}

/** The --set pairs that point the chart at the image the global set-up loaded into the node. */
export function imageValues(): Record<string, string> {
  return {
    // The whole name as podman stored it (localhost/…): no registry in front of it.
    'image.registry': '',
    'image.repository': required('imageRepository'),
    'image.tag': required('imageTag'),
    'image.digest': '',
    'image.pullPolicy': 'Never',
  };
}

export function releaseArgs(options: ReleaseOptions): string[] {
  const set = { ...imageValues(), ...options.set };
  return [
    ...(options.upgrade ? ['upgrade'] : ['install']),
    options.release,
    CHART,
    '--namespace',
    options.namespace,
    ...(options.valuesFiles ?? []).flatMap((file) => ['-f', file]),
    // Strings through --set-string (never re-typed: a sha of digits stays a string), the rest through --set.
    ...Object.entries(set).flatMap(([key, value]) => [
      typeof value === 'string' ? '--set-string' : '--set',
      `${key}=${String(value)}`,
    ]),
    // The tests' load comes from this machine, which reaches the pods as the node's address (kube-proxy
    // masquerades NodePort traffic to it): exempt it from the reply limits, as one would a trusted load generator.
    '--set-json',
    `server.rateLimit.exempt=${JSON.stringify(['127.0.0.0/8', '::1/128', `${nodeIp()}/32`])}`,
    ...(options.wait === false ? [] : ['--wait=watcher', '--timeout', options.timeout ?? '3m']),
  ];
}

export interface PodSummary {
  readonly name: string;
  readonly ip: string;
  readonly ready: boolean;
  readonly phase: string;
  readonly image: string;
  readonly deleting: boolean;
}

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { containers: { image: string }[] };
  status: { phase: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

function summarise(pod: PodJson): PodSummary {
  return {
    name: pod.metadata.name,
    ip: pod.status.podIP ?? '',
    ready: pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    phase: pod.status.phase,
    image: pod.spec.containers[0]?.image ?? '',
    deleting: pod.metadata.deletionTimestamp !== undefined,
  };
}

/** The release's server pods (not its test pod). */
export async function serverPods(namespace: string, release: string): Promise<PodSummary[]> {
  const result = await kubectlOk([
    '-n',
    namespace,
    'get',
    'pods',
    '-l',
    `app.kubernetes.io/instance=${release},app.kubernetes.io/component!=test`,
    '-o',
    'json',
  ]);
  return (JSON.parse(result.stdout) as { items: PodJson[] }).items.map(summarise);
}

export async function getJson<T>(namespace: string, kind: string, name: string): Promise<T> {
  const result = await kubectlOk(['-n', namespace, 'get', kind, name, '-o', 'json']);
  return JSON.parse(result.stdout) as T;
}

/** The NodePort kube-proxy allocated to a Service's (first) port. */
export async function nodePortOf(namespace: string, service: string): Promise<number> {
  const json = await getJson<{ spec: { ports: { nodePort?: number }[] } }>(namespace, 'service', service);
  const nodePort = json.spec.ports[0]?.nodePort;
  if (nodePort === undefined) throw new Error(`service ${namespace}/${service} has no NodePort`);
  return nodePort;
}

export interface WatchEvent<T> {
  /** performance.now() when the event arrived. */
  readonly at: number;
  readonly type: string;
  readonly object: T;
}

export interface Watch<T> {
  readonly events: WatchEvent<T>[];
  /** Resolves once `condition` holds over the events seen so far; rejects after `timeoutMs`. */
  until(condition: (events: readonly WatchEvent<T>[]) => boolean, timeoutMs: number): Promise<void>;
  stop(): void;
}

/**
 * Watches objects through the API server (a real watch, not polling), recording each change with the time it
 * arrived: how the tests see when a pod stopped being Ready or an endpoint stopped serving.
 */
export function watchObjects<J, T>(path: string, labelSelector: string, map: (json: J) => T): Watch<T> {
  const config = readKubeconfig();
  const cluster = config.clusters[0]!.cluster;
  const user = config.users[0]!.user;
  const decode = (data: string): Buffer => Buffer.from(data, 'base64');
  const url = new URL(path, cluster.server);
  url.searchParams.set('watch', '1');
  url.searchParams.set('labelSelector', labelSelector);
  const events: WatchEvent<T>[] = [];
  const changed = new EventEmitter();
  const req = request(url, {
    ca: decode(cluster['certificate-authority-data']),
    cert: decode(user['client-certificate-data']),
    key: decode(user['client-key-data']),
  });
  req.on('response', (res) => {
    // stop() destroys the request; the response then ends with "aborted", which is expected.
    res.on('error', () => undefined);
    const lines = createInterface({ input: res });
    lines.on('error', () => undefined);
    lines.on('line', (line) => {
      const event = JSON.parse(line) as { type: string; object: J };
      if (event.type === 'ERROR' || event.type === 'BOOKMARK') return;
      events.push({ at: performance.now(), type: event.type, object: map(event.object) });
      changed.emit('event');
    });
  });
  req.on('error', () => undefined);
  req.end();
  const until = (condition: (seen: readonly WatchEvent<T>[]) => boolean, timeoutMs: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition(events)) return;
        clearTimeout(timer);
        changed.off('event', check);
        resolve();
      };
      const timer = setTimeout(() => {
        changed.off('event', check);
        reject(
          new Error(
            `watch ${path}: condition not met in ${timeoutMs} ms; last events: ${JSON.stringify(events.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      changed.on('event', check);
      check();
    });
  return { events, until, stop: () => req.destroy() };
}

export function watchPods(namespace: string, labelSelector: string): Watch<PodSummary> {
  return watchObjects<PodJson, PodSummary>(`/api/v1/namespaces/${namespace}/pods`, labelSelector, summarise);
}

/** One endpoint of a Service, as kube-proxy sees it. */
export interface EndpointSummary {
  readonly pod: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

interface EndpointSliceJson {
  endpoints?: {
    targetRef?: { name: string };
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  }[];
}

/** The endpoints of a Service's EndpointSlices, one list per change. */
export function watchEndpoints(namespace: string, service: string): Watch<EndpointSummary[]> {
  return watchObjects<EndpointSliceJson, EndpointSummary[]>(
    `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
    `kubernetes.io/service-name=${service}`,
    (slice) =>
      (slice.endpoints ?? []).map((endpoint) => ({
        pod: endpoint.targetRef?.name ?? '',
        ready: endpoint.conditions?.ready === true,
        serving: endpoint.conditions?.serving === true,
        terminating: endpoint.conditions?.terminating === true,
      })),
  );
}
