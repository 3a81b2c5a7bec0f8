import { join } from 'node:path';
import { stringify } from 'yaml';
import { BRIDGE, CLUSTER_DOMAIN, DNS_SERVICE_IP, NODE_IP, NODE_NAME, POD_CIDR, PORTS, type StatePaths } from './layout';

/** The image containerd runs as every pod's sandbox: the pause program of tools/cluster/components/pause. */
export const PAUSE_IMAGE = 'localhost/ricochet-cluster/pause:1';

const toml = (value: string): string => JSON.stringify(value);

/**
 * containerd's config: everything under the state directory, the stock runc v2 shim with cgroupfs (no systemd
 * here), CNI from Debian's plugins with our own config directory, and registry hosts read from certs.d (a
 * registry mirror is a hosts.toml there, no restart needed).
 */
export function containerdConfig(paths: StatePaths, cniBinDir: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return [
    'version = 2',
    `root = ${toml(paths.containerdRoot)}`,
    `state = ${toml(paths.containerdState)}`,
    // Plugins this node never uses; without this list containerd logs a failure for each at start.
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", ' +
      '"io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]',
    '',
    '[grpc]',
    `  address = ${toml(paths.containerdSocket)}`,
    '[ttrpc]',
    `  address = ${toml(`${paths.containerdSocket}.ttrpc`)}`,
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${toml(join(paths.dir, 'containerd', 'opt'))}`,
    `[${cri}]`,
    `  sandbox_image = ${toml(PAUSE_IMAGE)}`,
    // Lowering a process's oom_score_adj needs CAP_SYS_RESOURCE, which build machines here lack: the CRI would
    // give sandboxes -998 and runc would fail every pod. Floor it at containerd's own score instead.
    '  restrict_oom_score_adj = true',
    // Pods' network namespaces under the state directory, not /var/run/netns: there, a bind mount another tool
    // makes of /var/run/netns over itself (podman does) hides them, and down could no longer unmount them.
    '  netns_mounts_under_state_dir = true',
    `  [${cri}.cni]`,
    `    bin_dir = ${toml(cniBinDir)}`,
    `    conf_dir = ${toml(paths.cniConfDir)}`,
    `  [${cri}.containerd]`,
    '    default_runtime_name = "runc"',
    `  [${cri}.containerd.runtimes.runc]`,
    '    runtime_type = "io.containerd.runc.v2"',
    `  [${cri}.containerd.runtimes.runc.options]`,
    '    SystemdCgroup = false',
    // runc's state would default to /run/containerd/runc: keep it in the state directory.
    `    Root = ${toml(join(paths.containerdState, 'runc'))}`,
    `  [${cri}.registry]`,
    `    config_path = ${toml(paths.containerdHosts)}`,
    '',
  ].join('\n');
}

/**
 * The pod network: a bridge of our own (created before the API server, which listens on its address), addresses
 * from host-local, masquerade for traffic leaving the pod range, and hairpin so a pod reaches itself through its
 * own Service. No portmap: hostPorts are not needed, and its CNI-HOSTPORT-* chains are shared with every other
 * CNI user on the machine (podman), so down could not tell them apart.
 */
export function cniConfig(paths: StatePaths): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'ricochet',
      plugins: [
        {
          type: 'bridge',
          bridge: BRIDGE,
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: paths.cniIpam,
            ranges: [[{ subnet: POD_CIDR, gateway: NODE_IP }]],
            routes: [{ dst: '0.0.0.0/0' }],
          },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

export function kubeletConfig(paths: StatePaths): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: NODE_IP,
    port: PORTS.kubelet,
    healthzBindAddress: '127.0.0.1',
    healthzPort: PORTS.kubeletHealthz,
    // No systemd as PID 1 here, and only cgroup v1 hierarchies: kubelet ≥ 1.35 refuses v1 unless told.
    cgroupDriver: 'cgroupfs',
    failCgroupV1: false,
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    tlsCertFile: join(paths.pki, 'kubelet-serving.crt'),
    tlsPrivateKeyFile: join(paths.pki, 'kubelet-serving.key'),
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: join(paths.pki, 'ca.crt') },
    },
    authorization: { mode: 'Webhook' },
    clusterDomain: CLUSTER_DOMAIN,
    clusterDNS: [DNS_SERVICE_IP],
    // A build machine's disk is shared: evict only when it is nearly full, and never collect our local images.
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '2%', 'imagefs.available': '2%' },
    imageGCHighThresholdPercent: 99,
    imageGCLowThresholdPercent: 98,
    failSwapOn: false,
    // The kubelet may set the kernel settings it wants (down restores them); it must not refuse to start.
    protectKernelDefaults: false,
    // Its default, -999, cannot be set without CAP_SYS_RESOURCE (see restrict_oom_score_adj in containerd's config).
    oomScoreAdj: 0,
    // The static pod path and the registry: none.
    serializeImagePulls: false,
    maxPods: 50,
    podLogsDir: join(paths.dir, 'pod-logs'),
    resolvConf: '/etc/resolv.conf',
  });
}

export function kubeProxyConfig(paths: StatePaths): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clientConnection: { kubeconfig: join(paths.config, 'kube-proxy.kubeconfig') },
    hostnameOverride: NODE_NAME,
    clusterCIDR: POD_CIDR,
    bindAddress: NODE_IP,
    healthzBindAddress: `127.0.0.1:${PORTS.proxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${PORTS.proxyMetrics}`,
    oomScoreAdj: 0,
    // Leave the machine's conntrack table size and timeouts as they are.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
    // NodePorts answer on every local address (127.0.0.1 too): the host reaches UDP NodePorts directly.
    nodePortAddresses: [],
  });
}
