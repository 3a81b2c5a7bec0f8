import { join } from 'node:path';
import { ROOT } from './layout';

/**
 * The programs the cluster runs, each built from a small Go module under tools/cluster/components/<name> that
 * pins one release. The version is read from that module's go.mod (said once, there); the cache key also covers
 * go.sum, the Go version and the link flags, so a change to any of them rebuilds.
 */
export interface GoComponent {
  readonly name: string;
  /** The module whose version is the component's version. */
  readonly module: string;
  /** Binary name → Go package path. */
  readonly programs: Readonly<Record<string, string>>;
  /** Extra -ldflags -X settings; `{version}` is replaced by the module's version. */
  readonly versionStamps?: readonly string[];
}

const KUBERNETES_VERSION_STAMPS = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
  `${pkg}.gitVersion={version}`,
  `${pkg}.gitMajor={major}`,
  `${pkg}.gitMinor={minor}`,
  `${pkg}.gitTreeState=clean`,
]);

export const GO_COMPONENTS: readonly GoComponent[] = [
  {
    name: 'kubernetes',
    module: 'k8s.io/kubernetes',
    programs: Object.fromEntries(
      ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'].map((name) => [
        name,
        `k8s.io/kubernetes/cmd/${name}`,
      ]),
    ),
    // Without them every program reports v0.0.0-master, and helm's kubeVersion check rejects the cluster.
    versionStamps: KUBERNETES_VERSION_STAMPS,
  },
  { name: 'etcd', module: 'go.etcd.io/etcd/server/v3', programs: { etcd: 'go.etcd.io/etcd/server/v3' } },
  { name: 'coredns', module: 'github.com/coredns/coredns', programs: { coredns: 'github.com/coredns/coredns' } },
  { name: 'cri-tools', module: 'sigs.k8s.io/cri-tools', programs: { crictl: 'sigs.k8s.io/cri-tools/cmd/crictl' } },
  {
    name: 'metrics-server',
    module: 'sigs.k8s.io/metrics-server',
    programs: { 'metrics-server': 'sigs.k8s.io/metrics-server/cmd/metrics-server' },
  },
];

export function componentModuleDir(component: { readonly name: string }): string {
  return join(ROOT, 'tools', 'cluster', 'components', component.name);
}

/** The version go.mod requires for `module`, or undefined when it does not require it. */
export function requiredVersion(goMod: string, module: string): string | undefined {
  const escaped = module.replaceAll('.', '\\.');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  return match?.[1];
}

/** The -X link flags for a component at a version (v1.35.4 → major 1, minor 35). */
export function versionLinkFlags(component: GoComponent, version: string): string[] {
  const [major = '', minor = ''] = version.replace(/^v/, '').split('.');
  return (component.versionStamps ?? []).map(
    (stamp) => `-X ${stamp.replace('{version}', version).replace('{major}', major).replace('{minor}', minor)}`,
  );
}
