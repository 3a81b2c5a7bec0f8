import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from './build-components';
import { DAEMON_NAMES } from './daemons';
import {
  bridgeExists,
  kubeletCgroups,
  listNetns,
  mountsUnder,
  removeBridge,
  removeKubeletCgroups,
  removeNewNetns,
  removeNewShimSockets,
  unmountUnder,
} from './host';
import { restoreKernelSettings } from './kernel-settings';
import { componentCacheDir, stateDir, statePaths, type StatePaths } from './layout';
import { readMachineBefore } from './machine-before';
import { leftoverChains, removeClusterChains, removeNewEmptyNftTables } from './netfilter';
import { executableOf, forgetProcess, readRecords, running, stopProcess } from '@ricochet/daemon';
import { processesRunningFrom } from './processes';
import { run } from './run';

/** The network name the CNI config gives; its chains carry it in a comment. */
const NETWORK_NAME = 'ricochet';

/** The reverse of the start order, the node first (so nothing restarts pods); containerd goes last, apart. */
const STOP_ORDER = DAEMON_NAMES.filter((name) => name !== 'containerd').reverse();

function crictlPath(): string | undefined {
  const cache = componentCacheDir();
  if (!existsSync(cache)) return undefined;
  const dir = readdirSync(cache).find((entry) => entry.startsWith('cri-tools-') && !entry.includes('.tmp-'));
  return dir === undefined ? undefined : join(cache, dir, 'crictl');
}

/**
 * Removes every pod sandbox through the CRI while containerd still runs: containerd then runs the CNI plugins'
 * DEL (veth, IP, masquerade chain) and removes each pod's network namespace, as on a real node.
 */
function removePodSandboxes(paths: StatePaths, log: Log): void {
  const crictl = crictlPath();
  if (crictl === undefined || running(paths, 'containerd') === undefined) return;
  const endpoint = `unix://${paths.containerdSocket}`;
  const result = run(crictl, ['--runtime-endpoint', endpoint, '--timeout', '60s', 'rmp', '--all', '--force'], {
    timeoutMs: 180_000,
  });
  if (result.status !== 0) log(`crictl rmp: ${result.stderr.trim()}`);
}

/** containerd's shims outlive containerd by design; any still serving our socket's tasks are ours to stop. */
function stopShims(paths: StatePaths): number {
  let stopped = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const binary = executableOf(Number(entry));
    if (binary === undefined || !binary.includes('containerd-shim')) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(paths.containerdSocket)) continue;
    process.kill(Number(entry), 'SIGKILL');
    stopped++;
  }
  return stopped;
}

export interface DownReport {
  readonly leftovers: readonly string[];
  readonly seconds: number;
}

/**
 * Removes everything `up` made, in an order that lets each component undo its own work; works after a failed
 * or partial `up`, and when nothing runs. Returns what could not be removed (empty when clean).
 */
export async function down(log: Log): Promise<DownReport> {
  const started = performance.now();
  const paths = statePaths(stateDir());
  const before = readMachineBefore(paths);
  const kubeProxy = running(paths, 'kube-proxy');

  for (const name of STOP_ORDER) {
    const record = running(paths, name);
    if (record === undefined) continue;
    await stopProcess(record);
    log(`stopped ${name} (pid ${record.pid})`);
  }
  // kube-proxy's own clean-up mode removes the Service rules it wrote.
  if (kubeProxy !== undefined) run(kubeProxy.binary, ['--cleanup'], { timeoutMs: 60_000 });

  removePodSandboxes(paths, log);
  const containerd = running(paths, 'containerd');
  if (containerd !== undefined) {
    await stopProcess(containerd, 15_000);
    log(`stopped containerd (pid ${containerd.pid})`);
  }
  const shims = stopShims(paths);
  if (shims > 0) log(`killed ${shims} leftover containerd shims`);
  // Anything else still running one of our built programs (a daemon whose PID file was lost).
  for (const stray of processesRunningFrom(componentCacheDir())) {
    process.kill(stray.pid, 'SIGKILL');
    log(`killed stray ${stray.binary} (pid ${stray.pid})`);
  }
  for (const record of readRecords(paths)) forgetProcess(paths, record.name);

  const unmounted = unmountUnder(paths.dir);
  if (unmounted.length > 0) log(`unmounted ${unmounted.length} mounts under ${paths.dir}`);
  const netns = removeNewNetns(before?.netns ?? []);
  if (netns.length > 0) log(`removed ${netns.length} network namespaces`);
  if (removeBridge()) log('removed bridge ricochet0');
  const chains = removeClusterChains(before?.chains ?? {}, NETWORK_NAME);
  if (chains.length > 0) log(`removed ${chains.length} iptables chains`);
  const tables = removeNewEmptyNftTables(before?.nftTables ?? []);
  if (tables.length > 0) log(`removed ${tables.length} empty nftables tables (${tables.join(', ')})`);
  const sockets = removeNewShimSockets(before?.shimSockets ?? []);
  if (sockets > 0) log(`removed ${sockets} containerd shim sockets`);
  const cgroups = removeKubeletCgroups(before?.kubeletCgroups ?? []);
  if (cgroups.length > 0) log(`removed ${cgroups.length} kubelet cgroup trees`);
  if (before !== undefined) {
    for (const change of restoreKernelSettings(before.kernel)) log(`restored ${change}`);
  }
  if (mountsUnder(paths.dir).length === 0) rmSync(paths.dir, { recursive: true, force: true });

  const leftovers = [
    ...processesRunningFrom(componentCacheDir()).map((p) => `process ${p.pid} ${p.binary}`),
    ...mountsUnder(paths.dir).map((point) => `mount ${point}`),
    ...(bridgeExists() ? ['bridge ricochet0'] : []),
    ...leftoverChains(before?.chains ?? {}, NETWORK_NAME).map((chain) => `chain ${chain}`),
    ...listNetns()
      .filter((name) => name.startsWith('cni-') && !(before?.netns ?? []).includes(name))
      .map((name) => `netns ${name}`),
    ...kubeletCgroups()
      .filter((controller) => !(before?.kubeletCgroups ?? []).includes(controller))
      .map((controller) => `cgroup ${controller}/kubepods`),
    ...(existsSync(paths.dir) ? [`directory ${paths.dir}`] : []),
  ];
  return { leftovers, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
