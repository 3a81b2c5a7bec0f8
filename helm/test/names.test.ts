import { FULLNAME, type Manifest, render } from './helpers';

function names(manifests: readonly Manifest[]): string[] {
  return [...new Set(manifests.filter((m) => m.kind !== 'Pod').map((m) => m.metadata.name))];
}

// _helpers.tpl: udp-server.name and udp-server.fullname, as in `helm create` and the CoreDNS chart.
describe('resource names', () => {
  it('are "<release>-udp-server" by default', () => {
    expect(names(render())).toEqual([FULLNAME]);
  });

  it('are the release name alone when it already contains the chart name', () => {
    expect(names(render({ release: 'udp-server-blue' }))).toEqual(['udp-server-blue']);
  });

  it('follow nameOverride, which also changes the name label', () => {
    const manifests = render({ values: { nameOverride: 'echo' } });
    expect(names(manifests)).toEqual(['ricochet-echo']);
    expect(manifests[0]!.metadata.labels!['app.kubernetes.io/name']).toBe('echo');
  });

  it('follow fullnameOverride', () => {
    expect(names(render({ values: { fullnameOverride: 'edge' } }))).toEqual(['edge']);
  });

  it('are cut to 63 characters without a trailing dash', () => {
    const release = `r${'x'.repeat(52)}`;
    for (const name of names(render({ release }))) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name.endsWith('-')).toBe(false);
    }
  });

  it('put the image tag into app.kubernetes.io/version and the chart version into helm.sh/chart', () => {
    const [first] = render({ values: { image: { tag: 'abc123' } } });
    expect(first!.metadata.labels).toMatchObject({ 'app.kubernetes.io/version': 'abc123', 'helm.sh/chart': 'udp-server-0.1.0' });
  });
});
