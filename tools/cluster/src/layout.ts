import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the single-node cluster lives: its addresses, ports and directories. Every fact about the cluster's shape
 * is stated here once; the config files, certificates and clean-up derive from it.
 */

/** The workspace root: the nearest directory above the working directory that holds nx.json. */
function findWorkspaceRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

export const ROOT = findWorkspaceRoot(process.cwd());

/** The node's name, also the kubelet's certificate subject (system:node:<name>). */
export const NODE_NAME = 'ricochet-node';

/**
 * A Linux bridge of our own. Pods hang off it; its address is the node's IP, and the API server listens on it so
 * that pods and the host both reach it without touching any other interface.
 */
export const BRIDGE = 'ricochet0';
/** Pod addresses: one /24 on the bridge (one node, so no per-node CIDR allocation). */
export const POD_CIDR = '10.213.0.0/24';
export const NODE_IP = '10.213.0.1';
/** ClusterIPs. The first address is the `kubernetes` Service; DNS takes .10 by convention. */
export const SERVICE_CIDR = '10.213.128.0/24';
export const KUBERNETES_SERVICE_IP = '10.213.128.1';
export const DNS_SERVICE_IP = '10.213.128.10';
export const CLUSTER_DOMAIN = 'cluster.local';

export const PORTS = {
  apiserver: 6443,
  /** etcd listens on loopback only; not the usual 2379, so a developer's own etcd is left alone. */
  etcdClient: 23790,
  etcdPeer: 23800,
  kubelet: 10250,
  kubeletHealthz: 10248,
  proxyHealthz: 10256,
  proxyMetrics: 10249,
  controllerManager: 10257,
  scheduler: 10259,
} as const;

export const API_SERVER_URL = `https://${NODE_IP}:${PORTS.apiserver}`;

/** The cluster's name in kubeconfigs, and the admin context's name. */
export const CLUSTER_NAME = 'ricochet';
export const ADMIN_CONTEXT = 'ricochet';

/**
 * Everything `up` writes (certificates, etcd data, containerd's store, the kubelet's pods, logs, PID files), in
 * one directory that `down` removes. Root-owned and machine-wide: the cluster binds fixed ports and a bridge, so
 * there is one per machine.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['RICOCHET_CLUSTER_DIR'] ?? '/var/lib/ricochet-cluster');
}

/**
 * Built programs, keyed by component, version and the hash of what built them. Outside the state directory (down
 * keeps them) and outside the checkout (every clone on the machine shares them), as Go keeps its own caches.
 */
export function componentCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(
    env['RICOCHET_COMPONENT_CACHE'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'ricochet', 'cluster'),
  );
}

/** The paths inside the state directory. */
export function statePaths(dir: string) {
  return {
    dir,
    pki: join(dir, 'pki'),
    etcdData: join(dir, 'etcd'),
    containerdRoot: join(dir, 'containerd', 'root'),
    containerdState: join(dir, 'containerd', 'state'),
    containerdConfig: join(dir, 'containerd', 'config.toml'),
    containerdSocket: join(dir, 'containerd', 'containerd.sock'),
    containerdHosts: join(dir, 'containerd', 'certs.d'),
    cniConfDir: join(dir, 'cni', 'net.d'),
    cniIpam: join(dir, 'cni', 'ipam'),
    kubeletRoot: join(dir, 'kubelet'),
    config: join(dir, 'config'),
    logs: join(dir, 'logs'),
    run: join(dir, 'run'),
    images: join(dir, 'images'),
    /** The admin kubeconfig, printed by `up`. */
    adminKubeconfig: join(dir, 'admin.kubeconfig'),
    /** What the machine looked like before `up` changed it: kernel settings, network namespaces, chains. */
    before: join(dir, 'before.json'),
  };
}

export type StatePaths = ReturnType<typeof statePaths>;
