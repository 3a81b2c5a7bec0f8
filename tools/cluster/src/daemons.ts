import { join } from 'node:path';
import type { BuiltComponent } from './build-components';
import { CLUSTER_DOMAIN, NODE_IP, NODE_NAME, PORTS, SERVICE_CIDR, type StatePaths } from './layout';

/**
 * The cluster's processes, in start order, with the flags that make them one cluster. Everything reads its
 * files from the state directory; everything but the API server, the kubelet and kube-proxy listens on loopback.
 */
export interface Daemon {
  readonly name: DaemonName;
  readonly binary: string;
  readonly args: readonly string[];
  /**
   * How `up` knows it is ready: an HTTP(S) URL that answers 200 (`admin`: verified against the cluster CA, with
   * the admin certificate; `none`: a loopback endpoint with a self-signed certificate). containerd has none: `up`
   * asks it with ctr.
   */
  readonly health?: { readonly url: string; readonly auth: 'none' | 'admin' };
}

export type Components = Readonly<Record<string, BuiltComponent>>;

/** Start order. `down` stops them in reverse, containerd last (it must remove the pods' sandboxes first). */
export const DAEMON_NAMES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'containerd',
  'kubelet',
  'kube-proxy',
] as const;

export type DaemonName = (typeof DAEMON_NAMES)[number];

function program(components: Components, component: string, name: string): string {
  const built = components[component];
  if (built === undefined) throw new Error(`component ${component} was not built`);
  return join(built.bin, name);
}

export function daemons(paths: StatePaths, components: Components): readonly Daemon[] {
  const pki = (file: string): string => join(paths.pki, file);
  const config = (file: string): string => join(paths.config, file);
  const etcdUrl = `http://127.0.0.1:${PORTS.etcdClient}`;
  const peerUrl = `http://127.0.0.1:${PORTS.etcdPeer}`;
  const k8s = (name: string): string => program(components, 'kubernetes', name);
  const componentKubeconfig = (name: string): string[] => [
    `--kubeconfig=${config(`${name}.kubeconfig`)}`,
    `--authentication-kubeconfig=${config(`${name}.kubeconfig`)}`,
    `--authorization-kubeconfig=${config(`${name}.kubeconfig`)}`,
  ];
  return [
    {
      name: 'etcd',
      binary: program(components, 'etcd', 'etcd'),
      args: [
        '--name=ricochet',
        `--data-dir=${paths.etcdData}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=ricochet=${peerUrl}`,
        '--log-level=warn',
        // A throw-away cluster on a shared disk: skipping fsync makes it several times faster, and down deletes it.
        '--unsafe-no-fsync',
      ],
      health: { url: `${etcdUrl}/health`, auth: 'none' },
    },
    {
      name: 'kube-apiserver',
      binary: k8s('kube-apiserver'),
      args: [
        `--advertise-address=${NODE_IP}`,
        `--bind-address=${NODE_IP}`,
        `--secure-port=${PORTS.apiserver}`,
        `--etcd-servers=${etcdUrl}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        `--client-ca-file=${pki('ca.crt')}`,
        `--tls-cert-file=${pki('apiserver.crt')}`,
        `--tls-private-key-file=${pki('apiserver.key')}`,
        `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
        `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
        `--kubelet-certificate-authority=${pki('ca.crt')}`,
        '--kubelet-preferred-address-types=InternalIP',
        `--service-account-issuer=https://kubernetes.default.svc.${CLUSTER_DOMAIN}`,
        `--service-account-key-file=${pki('service-account.pub')}`,
        `--service-account-signing-key-file=${pki('service-account.key')}`,
        '--authorization-mode=Node,RBAC',
        '--enable-admission-plugins=NodeRestriction',
        // The aggregation layer, for metrics-server's metrics.k8s.io.
        `--requestheader-client-ca-file=${pki('front-proxy-ca.crt')}`,
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        `--proxy-client-cert-file=${pki('front-proxy-client.crt')}`,
        `--proxy-client-key-file=${pki('front-proxy-client.key')}`,
        // Reach aggregated APIs at their pod IPs: the host has no route into ClusterIPs of its own.
        '--enable-aggregator-routing=true',
        '--profiling=false',
      ],
      health: { url: `https://${NODE_IP}:${PORTS.apiserver}/readyz`, auth: 'admin' },
    },
    {
      name: 'kube-controller-manager',
      binary: k8s('kube-controller-manager'),
      args: [
        ...componentKubeconfig('controller-manager'),
        '--bind-address=127.0.0.1',
        `--secure-port=${PORTS.controllerManager}`,
        `--service-account-private-key-file=${pki('service-account.key')}`,
        `--root-ca-file=${pki('ca.crt')}`,
        `--cluster-signing-cert-file=${pki('ca.crt')}`,
        `--cluster-signing-key-file=${pki('ca.key')}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--use-service-account-credentials=true',
        '--leader-elect=false',
        '--profiling=false',
      ],
      health: { url: `https://127.0.0.1:${PORTS.controllerManager}/healthz`, auth: 'none' },
    },
    {
      name: 'kube-scheduler',
      binary: k8s('kube-scheduler'),
      args: [
        ...componentKubeconfig('scheduler'),
        '--bind-address=127.0.0.1',
        `--secure-port=${PORTS.scheduler}`,
        '--leader-elect=false',
        '--profiling=false',
      ],
      health: { url: `https://127.0.0.1:${PORTS.scheduler}/healthz`, auth: 'none' },
    },
    {
      name: 'containerd',
      binary: '/usr/bin/containerd',
      args: ['--config', paths.containerdConfig, '--log-level', 'warn'],
    },
    {
      name: 'kubelet',
      binary: k8s('kubelet'),
      args: [
        `--config=${config('kubelet.yaml')}`,
        `--kubeconfig=${config('kubelet.kubeconfig')}`,
        `--root-dir=${paths.kubeletRoot}`,
        `--hostname-override=${NODE_NAME}`,
        `--node-ip=${NODE_IP}`,
      ],
      health: { url: `http://127.0.0.1:${PORTS.kubeletHealthz}/healthz`, auth: 'none' },
    },
    {
      name: 'kube-proxy',
      binary: k8s('kube-proxy'),
      args: [`--config=${config('kube-proxy.yaml')}`],
      health: { url: `http://127.0.0.1:${PORTS.proxyHealthz}/healthz`, auth: 'none' },
    },
  ];
}
