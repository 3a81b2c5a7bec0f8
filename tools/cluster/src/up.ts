import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createError } from '@ricochet/errors';
import { coreDnsManifests, metricsServerManifests, toYamlStream } from './addons';
import { ensureAllComponents, type Log } from './build-components';
import { cniConfig, containerdConfig, kubeletConfig, kubeProxyConfig } from './config-files';
import { daemons, type Components } from './daemons';
import { answers200, logFile } from '@ricochet/daemon';
import { adminTls, waitUntil } from './health';
import { bridgeExists, ensureBridge } from './host';
import { addonImages, ctr, ensureImageArchive, imagePresent, importArchive } from './images';
import { writeSetting } from './kernel-settings';
import { kubeconfig } from './kubeconfig';
import { kubectlOk, nodeReady } from './kubectl';
import { ADMIN_CONTEXT, NODE_NAME, ROOT, stateDir, statePaths, type StatePaths } from './layout';
import { readMachineBefore, recordMachineBefore } from './machine-before';
import { ensurePki } from './pki';
import { preflight } from './preflight';
import { startProcess } from './processes';
import { trustConfiguredRegistry } from './registry-hosts';
import { run } from './run';

export const CNI_BIN_DIR = '/usr/lib/cni';

/** How long each daemon may take to answer its health check after it starts. */
const READY_TIMEOUT_MS: Readonly<Record<string, number>> = { etcd: 30_000, 'kube-apiserver': 120_000 };
const DEFAULT_READY_TIMEOUT_MS = 60_000;

function writeFiles(paths: StatePaths): void {
  for (const dir of [paths.config, paths.cniConfDir, paths.cniIpam, paths.containerdHosts, paths.kubeletRoot]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(paths.adminKubeconfig, kubeconfig(paths.pki, 'admin', ADMIN_CONTEXT), { mode: 0o600 });
  for (const [file, certificate] of [
    ['controller-manager', 'controller-manager'],
    ['scheduler', 'scheduler'],
    ['kube-proxy', 'kube-proxy'],
    ['kubelet', 'kubelet-client'],
  ] as const) {
    writeFileSync(join(paths.config, `${file}.kubeconfig`), kubeconfig(paths.pki, certificate, file), { mode: 0o600 });
  }
  writeFileSync(join(paths.config, 'kubelet.yaml'), kubeletConfig(paths));
  writeFileSync(join(paths.config, 'kube-proxy.yaml'), kubeProxyConfig(paths));
  writeFileSync(paths.containerdConfig, containerdConfig(paths, CNI_BIN_DIR));
  writeFileSync(join(paths.cniConfDir, '10-ricochet.conflist'), cniConfig(paths));
}

async function startDaemons(paths: StatePaths, components: Components, log: Log): Promise<void> {
  const admin = (): ReturnType<typeof adminTls> => adminTls(paths.pki);
  for (const daemon of daemons(paths, components)) {
    const started = performance.now();
    const record = startProcess(paths, daemon.name, daemon.binary, daemon.args);
    const timeout = READY_TIMEOUT_MS[daemon.name] ?? DEFAULT_READY_TIMEOUT_MS;
    const health = daemon.health;
    if (health === undefined) {
      await waitUntil(
        `${daemon.name} to answer`,
        () => run('ctr', ['--address', paths.containerdSocket, 'version'], { timeoutMs: 5_000 }).status === 0,
        timeout,
        logFile(paths, daemon.name),
      );
    } else {
      await waitUntil(
        `${daemon.name} to report healthy at ${health.url}`,
        () => answers200(health.url, health.auth === 'admin' ? admin() : 'self-signed'),
        timeout,
        logFile(paths, daemon.name),
      );
    }
    log(`${daemon.name} ready (pid ${record.pid}, ${Math.round(performance.now() - started)} ms)`);
    if (daemon.name === 'containerd') importAddonImages(paths, components, log);
  }
}

function importAddonImages(paths: StatePaths, components: Components, log: Log): void {
  for (const image of addonImages(components)) {
    if (imagePresent(paths, image.ref)) continue;
    const component = components[image.component];
    if (component === undefined) throw new Error(`component ${image.component} was not built`);
    importArchive(paths, ensureImageArchive(image, component, ROOT));
    log(`imported ${image.ref}`);
  }
  // The sandbox image must never be garbage-collected: every pod needs it.
  ctr(paths, ['images', 'label', addonImages(components)[0]?.ref ?? '', 'io.cri-containerd.pinned=pinned']);
}

async function startAddons(paths: StatePaths, components: Components, log: Log): Promise<void> {
  const [, coredns, metricsServer] = addonImages(components);
  const kubeconfigPath = paths.adminKubeconfig;
  kubectlOk(
    kubeconfigPath,
    ['apply', '--server-side', '--force-conflicts', '-f', '-'],
    toYamlStream([...coreDnsManifests(coredns?.ref ?? ''), ...metricsServerManifests(metricsServer?.ref ?? '')]),
  );
  for (const name of ['coredns', 'metrics-server']) {
    kubectlOk(kubeconfigPath, ['-n', 'kube-system', 'rollout', 'status', `deployment/${name}`, '--timeout=180s']);
    log(`${name} ready`);
  }
  await waitUntil(
    'the metrics.k8s.io API (metrics-server) to become available',
    () =>
      kubectlOk(kubeconfigPath, [
        'get',
        'apiservice',
        'v1beta1.metrics.k8s.io',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Available")].status}',
      ]).trim() === 'True',
    120_000,
  );
}

export interface UpResult {
  readonly kubeconfig: string;
  readonly seconds: number;
}

/** Brings the cluster up, or finishes bringing it up: every step is skipped when its result already exists. */
export async function up(log: Log): Promise<UpResult> {
  const started = performance.now();
  preflight(CNI_BIN_DIR);
  const components = await ensureAllComponents(log);
  const paths = statePaths(stateDir());
  if (readMachineBefore(paths) === undefined && bridgeExists()) {
    throw createError('UDP_ERR_CLUSTER_CONFLICT', 'the bridge ricochet0 exists but there is no cluster state');
  }
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  recordMachineBefore(paths);
  writeSetting('net.ipv4.ip_forward', '1');
  if (existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')) {
    // kube-proxy's rules must see traffic between pods on the bridge (a pod reaching a Service backed by a pod).
    writeSetting('net.bridge.bridge-nf-call-iptables', '1');
  }
  ensureBridge();
  ensurePki(paths.pki);
  writeFiles(paths);
  const trusted = trustConfiguredRegistry(paths, process.env);
  if (trusted !== undefined) log(`containerd trusts the registry in RICOCHET_REGISTRY (${trusted})`);
  await startDaemons(paths, components, log);
  await waitUntil(
    `node ${NODE_NAME} to be Ready`,
    () => nodeReady(paths.adminKubeconfig, NODE_NAME),
    120_000,
    logFile(paths, 'kubelet'),
  );
  log(`node ${NODE_NAME} Ready`);
  await startAddons(paths, components, log);
  return { kubeconfig: paths.adminKubeconfig, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
