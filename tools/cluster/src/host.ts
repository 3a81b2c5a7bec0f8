import { existsSync, readFileSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BRIDGE, NODE_IP, POD_CIDR } from './layout';
import { run, runOk } from './run';

/** What the cluster does to the host outside its state directory: the bridge, mounts, netns, cgroups. */

const PREFIX_LENGTH = POD_CIDR.split('/')[1] ?? '24';

export function bridgeExists(): boolean {
  return run('ip', ['link', 'show', 'dev', BRIDGE]).status === 0;
}

/**
 * A fixed, locally administered MAC for the bridge (02:52 then the node IP's four bytes). A Linux bridge
 * without an address of its own takes the lowest MAC among its ports, so it changed whenever a pod's veth came
 * or went, and every pod's neighbour entry for its gateway went stale at once: measured as 450 ms with no UDP
 * reply from any pod during a rolling update. An address that was set is kept.
 */
export function bridgeMac(nodeIp: string = NODE_IP): string {
  const octets = nodeIp.split('.').map((part) => Number(part).toString(16).padStart(2, '0'));
  return ['02', '52', ...octets].join(':');
}

/**
 * The bridge with the node's address and its fixed MAC, up. Made before the API server starts (it listens on
 * that address); the CNI bridge plugin later finds it and attaches the pods.
 */
export function ensureBridge(): void {
  if (!bridgeExists()) runOk('ip', ['link', 'add', 'name', BRIDGE, 'type', 'bridge']);
  runOk('ip', ['link', 'set', 'dev', BRIDGE, 'address', bridgeMac()]);
  const addresses = runOk('ip', ['-o', '-4', 'addr', 'show', 'dev', BRIDGE]);
  if (!addresses.includes(` ${NODE_IP}/`)) runOk('ip', ['addr', 'add', `${NODE_IP}/${PREFIX_LENGTH}`, 'dev', BRIDGE]);
  runOk('ip', ['link', 'set', 'dev', BRIDGE, 'up']);
}

export function removeBridge(): boolean {
  if (!bridgeExists()) return false;
  runOk('ip', ['link', 'delete', 'dev', BRIDGE]);
  return true;
}

/** Mount points at or under `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  const decode = (field: string): string =>
    field.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => decode(line.split(' ')[4] ?? ''))
    .filter((point) => point === dir || point.startsWith(`${dir}/`))
    .sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
}

/** Unmounts every mount under `dir`; a busy one is detached lazily. Returns the mount points removed. */
export function unmountUnder(dir: string): string[] {
  const removed: string[] = [];
  // A mount can be stacked several times on one point: go again until nothing is left, a bounded number of rounds.
  for (let round = 0; round < 5; round++) {
    const points = mountsUnder(dir);
    if (points.length === 0) break;
    for (const point of points) {
      if (run('umount', [point]).status !== 0) run('umount', ['-l', point]);
      removed.push(point);
    }
  }
  return removed;
}

export const NETNS_DIR = '/var/run/netns';

export function listNetns(): string[] {
  return existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR) : [];
}

/**
 * Removes network namespaces made since `before` under /var/run/netns (containerd names them cni-<uuid>); with
 * netns_mounts_under_state_dir there should be none, but an older state might have them. Returns those removed;
 * one that cannot be removed is left for the leftover report.
 */
export function removeNewNetns(before: readonly string[]): string[] {
  const removed: string[] = [];
  for (const name of listNetns()) {
    if (before.includes(name) || !name.startsWith('cni-')) continue;
    const path = join(NETNS_DIR, name);
    // Mounted more than once when /var/run/netns is a shared mount: unmount until it is a plain file.
    for (let i = 0; i < 5 && run('umount', [path]).status === 0; i++);
    try {
      rmSync(path, { force: true });
      removed.push(name);
    } catch {
      // still a mount point somewhere: reported as left over
    }
  }
  return removed;
}

const CGROUP_ROOT = '/sys/fs/cgroup';
/** The kubelet's cgroup tree (cgroupfs driver, cgroupsPerQOS): /sys/fs/cgroup/<controller>/kubepods/... */
export const KUBELET_CGROUP = 'kubepods';

export function cgroupControllers(): string[] {
  return existsSync(CGROUP_ROOT) ? readdirSync(CGROUP_ROOT) : [];
}

/** Controllers that have a kubepods tree now. */
export function kubeletCgroups(): string[] {
  return cgroupControllers().filter((controller) => existsSync(join(CGROUP_ROOT, controller, KUBELET_CGROUP)));
}

function removeCgroupTree(path: string): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) removeCgroupTree(join(path, entry.name));
  }
  rmdirSync(path);
}

/** Removes the kubelet's cgroup tree from controllers that did not have one before `up`. */
export function removeKubeletCgroups(before: readonly string[]): string[] {
  const removed: string[] = [];
  for (const controller of kubeletCgroups()) {
    if (before.includes(controller)) continue;
    const path = join(CGROUP_ROOT, controller, KUBELET_CGROUP);
    try {
      removeCgroupTree(path);
      removed.push(path);
    } catch {
      // A process still inside keeps it; down reports what is left.
    }
  }
  return removed;
}

/** containerd 1.6 puts its shims' sockets here whatever its own state directory is. */
export const SHIM_SOCKET_DIR = '/run/containerd/s';

export function listShimSockets(): string[] {
  return existsSync(SHIM_SOCKET_DIR) ? readdirSync(SHIM_SOCKET_DIR) : [];
}

/** Removes shim sockets made since `before`, then /run/containerd itself if that leaves it empty. */
export function removeNewShimSockets(before: readonly string[]): number {
  let removed = 0;
  for (const name of listShimSockets()) {
    if (before.includes(name)) continue;
    rmSync(join(SHIM_SOCKET_DIR, name), { force: true });
    removed++;
  }
  for (const dir of [SHIM_SOCKET_DIR, '/run/containerd/runc', '/run/containerd']) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty, or absent: someone else's containerd may use it
    }
  }
  return removed;
}
