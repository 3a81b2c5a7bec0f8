import { readFileSync } from 'node:fs';
import { GO_COMPONENTS, componentModuleDir, requiredVersion, versionLinkFlags } from './components';

describe('the component table', () => {
  it.each(GO_COMPONENTS.map((component) => [component.name, component] as const))(
    '%s: its go.mod requires the module it is versioned by, and names every program as a tool',
    (_name, component) => {
      const goMod = readFileSync(`${componentModuleDir(component)}/go.mod`, 'utf8');
      expect(requiredVersion(goMod, component.module)).toMatch(/^v\d+\.\d+\.\d+$/);
      for (const pkg of Object.values(component.programs)) expect(goMod).toContain(`\t${pkg}\n`.trimStart());
    },
  );

  it('pins every Kubernetes staging module to the release of k8s.io/kubernetes', () => {
    const goMod = readFileSync(`${componentModuleDir({ name: 'kubernetes' })}/go.mod`, 'utf8');
    const release = requiredVersion(goMod, 'k8s.io/kubernetes') ?? '';
    const staging = `v0.${release.slice('v1.'.length)}`;
    const replaces = [...goMod.matchAll(/^\t(k8s\.io\/\S+) => (k8s\.io\/\S+) (v\S+)$/gm)];
    expect(replaces.length).toBeGreaterThan(25);
    for (const [, from, to, version] of replaces) {
      expect(to).toBe(from);
      expect(version).toBe(staging);
    }
  });
});

describe('requiredVersion', () => {
  it('reads a version from a require block or a single require line, and nothing from a comment', () => {
    expect(requiredVersion('require (\n\tk8s.io/kubernetes v1.35.4\n)\n', 'k8s.io/kubernetes')).toBe('v1.35.4');
    expect(requiredVersion('require go.etcd.io/etcd/server/v3 v3.6.16\n', 'go.etcd.io/etcd/server/v3')).toBe('v3.6.16');
    expect(requiredVersion('// k8s.io/kubernetes v9.9.9\n', 'k8s.io/kubernetes')).toBeUndefined();
  });
});

describe('versionLinkFlags', () => {
  it('stamps the Kubernetes programs with their release, major and minor (helm checks kubeVersion against it)', () => {
    const kubernetes = GO_COMPONENTS.find((component) => component.name === 'kubernetes')!;
    const flags = versionLinkFlags(kubernetes, 'v1.35.4');
    expect(flags).toContain('-X k8s.io/component-base/version.gitVersion=v1.35.4');
    expect(flags).toContain('-X k8s.io/component-base/version.gitMinor=35');
    expect(flags).toContain('-X k8s.io/client-go/pkg/version.gitMajor=1');
  });
});
