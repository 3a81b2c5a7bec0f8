import { clusterChains, removalScript } from './netfilter';

// `iptables -t nat -S` as the cluster leaves it: kube-proxy's chains, one CNI masquerade chain of ours, one of
// podman's, and a chain that was there before.
const NAT_RULES = [
  '-P PREROUTING ACCEPT',
  '-N CNI-0123abcd',
  '-N CNI-podman99',
  '-N KUBE-SERVICES',
  '-N KUBE-OLD',
  '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A POSTROUTING -s 10.213.0.3/32 -m comment --comment "name: \\"ricochet\\" id: \\"abc\\"" -j CNI-0123abcd',
  '-A POSTROUTING -s 10.88.0.2/32 -m comment --comment "name: \\"podman\\" id: \\"def\\"" -j CNI-podman99',
  '-A CNI-0123abcd -d 10.213.0.0/24 -m comment --comment "name: \\"ricochet\\" id: \\"abc\\"" -j ACCEPT',
];

describe('the cluster chains', () => {
  it('are the new KUBE-* chains and the CNI chains our network jumps to, not podman’s or older ones', () => {
    expect(clusterChains(NAT_RULES, ['KUBE-OLD'], 'ricochet')).toEqual(['CNI-0123abcd', 'KUBE-SERVICES']);
  });

  it('are none when the table has only what was there before', () => {
    expect(clusterChains(['-N KUBE-OLD', '-A PREROUTING -j KUBE-OLD'], ['KUBE-OLD'], 'ricochet')).toEqual([]);
  });
});

describe('the removal script', () => {
  it('deletes the jumps from other chains, then flushes and deletes the chains, in one table', () => {
    const script = removalScript('nat', NAT_RULES, ['CNI-0123abcd', 'KUBE-SERVICES']);
    expect(script.split('\n')).toEqual([
      '*nat',
      '-D PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-D POSTROUTING -s 10.213.0.3/32 -m comment --comment "name: \\"ricochet\\" id: \\"abc\\"" -j CNI-0123abcd',
      '-F CNI-0123abcd',
      '-F KUBE-SERVICES',
      '-X CNI-0123abcd',
      '-X KUBE-SERVICES',
      'COMMIT',
      '',
    ]);
  });

  it('leaves rules inside the removed chains to the flush, and other chains’ jumps alone', () => {
    const script = removalScript('nat', NAT_RULES, ['CNI-0123abcd']);
    expect(script).not.toContain('-D CNI-0123abcd');
    expect(script).not.toContain('CNI-podman99');
  });
});
