import { FULLNAME, METRICS_SERVICE, type Manifest, render } from './helpers';

function names(manifests: readonly Manifest[]): string[] {
  return [...new Set(manifests.filter((m) => m.kind !== 'Pod').map((m) => m.metadata.name))];
}

// _helpers.tpl: udp-server.name and udp-server.fullname, as in `helm create` and the CoreDNS chart.
describe('resource names', () => {
  it('are "<release>-udp-server" by default, and "<release>-udp-server-metrics" for the metrics Service', () => {
    expect(names(render()).sort()).toEqual([FULLNAME, METRICS_SERVICE]);
  });

  it('are the release name alone when it already contains the chart name', () => {
    expect(names(render({ release: 'udp-server-blue' })).sort()).toEqual([
      'udp-server-blue',
      'udp-server-blue-metrics',
    ]);
  });

  it('follow nameOverride, which also changes the name label', () => {
    const manifests = render({ values: { nameOverride: 'echo' } });
    expect(names(manifests).sort()).toEqual(['ricochet-echo', 'ricochet-echo-metrics']);
    expect(manifests[0]!.metadata.labels!['app.kubernetes.io/name']).toBe('echo');
  });

  it('follow fullnameOverride', () => {
    expect(names(render({ values: { fullnameOverride: 'edge' } })).sort()).toEqual(['edge', 'edge-metrics']);
  });

  it('suffix the dashboard ConfigMap with -dashboard', () => {
    expect(names(render({ values: { metrics: { grafanaDashboard: { enabled: true } } } }))).toContain(
      `${FULLNAME}-dashboard`,
    );
  });

  it('are cut to 63 characters without a trailing dash', () => {
    const release = `r${'x'.repeat(52)}`;
    const all = names(render({ release, values: { metrics: { grafanaDashboard: { enabled: true } } } }));
    expect(all.some((name) => name.endsWith('-metrics'))).toBe(true);
    expect(all.some((name) => name.endsWith('-dashboard'))).toBe(true);
    for (const name of all) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name.endsWith('-')).toBe(false);
    }
  });

  it('put the image tag into app.kubernetes.io/version and the chart version into helm.sh/chart', () => {
    const [first] = render({ values: { image: { tag: 'abc123' } } });
    expect(first!.metadata.labels).toMatchObject({
      'app.kubernetes.io/version': 'abc123',
      'helm.sh/chart': 'udp-server-0.2.0',
    });
  });
});
