import { parse } from 'yaml';
import { cniConfig, containerdConfig, kubeletConfig, kubeProxyConfig } from './config-files';
import { BRIDGE, DNS_SERVICE_IP, NODE_IP, POD_CIDR, statePaths } from './layout';
import { registryHost, registryHostsToml } from './registry-hosts';

const paths = statePaths('/state');

describe('the node configuration', () => {
  it('runs the kubelet on cgroup v1 with cgroupfs, and never below oom_score_adj 0', () => {
    const config = parse(kubeletConfig(paths)) as Record<string, unknown>;
    expect(config).toMatchObject({ cgroupDriver: 'cgroupfs', failCgroupV1: false, oomScoreAdj: 0 });
    expect(config['clusterDNS']).toEqual([DNS_SERVICE_IP]);
    expect(config['containerRuntimeEndpoint']).toBe('unix:///state/containerd/containerd.sock');
  });

  it('keeps containerd, runc and the CNI IP allocations inside the state directory', () => {
    const toml = containerdConfig(paths, '/usr/lib/cni');
    expect(toml).toContain('root = "/state/containerd/root"');
    expect(toml).toContain('Root = "/state/containerd/state/runc"');
    expect(toml).toContain('restrict_oom_score_adj = true');
    expect(toml).toContain('netns_mounts_under_state_dir = true');
    expect(toml).toContain('conf_dir = "/state/cni/net.d"');
    expect(JSON.parse(cniConfig(paths)).plugins[0].ipam.dataDir).toBe('/state/cni/ipam');
  });

  it('puts pods on our own bridge, with the node IP as their gateway', () => {
    const bridge = JSON.parse(cniConfig(paths)).plugins[0];
    expect(bridge).toMatchObject({ type: 'bridge', bridge: BRIDGE, isGateway: true, hairpinMode: true });
    expect(bridge.ipam.ranges).toEqual([[{ subnet: POD_CIDR, gateway: NODE_IP }]]);
  });

  it('runs kube-proxy in iptables mode without touching the conntrack table size', () => {
    const config = parse(kubeProxyConfig(paths)) as Record<string, unknown>;
    expect(config).toMatchObject({ mode: 'iptables', clusterCIDR: POD_CIDR, conntrack: { maxPerCore: 0 } });
  });
});

describe('registry hosts', () => {
  it('tells containerd to pull from a registry over HTTPS, verified against its private CA', () => {
    expect(registryHostsToml('127.0.0.1:5000', '/state/containerd/certs.d/127.0.0.1:5000/ca.crt')).toBe(
      [
        'server = "https://127.0.0.1:5000"',
        '',
        '[host."https://127.0.0.1:5000"]',
        '  capabilities = ["pull", "resolve"]',
        '  ca = "/state/containerd/certs.d/127.0.0.1:5000/ca.crt"',
        '',
      ].join('\n'),
    );
  });

  it('takes the host from a registry setting with a path', () => {
    expect(registryHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(registryHost('registry.example.com/team/ricochet')).toBe('registry.example.com');
  });
});
