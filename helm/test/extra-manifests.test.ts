import { type Manifest, named, render, renderError, renderTemplate } from './helpers';

const TEMPLATE = 'templates/extra-manifests.yaml';
const EXTENSIONS = 'ci/12-extensions-values.yaml';

type ConfigMap = Manifest & { data: Record<string, string> };

describe('extra-manifests.yaml', () => {
  it('renders zero documents by default', () => {
    expect(renderTemplate(TEMPLATE)).toEqual([]);
  });

  describe('with the objects of ci/12', () => {
    const manifests = render({ valuesFiles: [EXTENSIONS] });

    it('renders a map item through tpl', () => {
      const environment = named<ConfigMap>(manifests, 'ConfigMap', 'edge-environment');
      expect(environment.metadata.namespace).toBe('udp');
      expect(environment.data).toEqual({ EDGE_REGION: 'eu-west-1', EDGE_RELEASE: 'ricochet' });
    });

    it("renders a string item through tpl, with the chart's helpers", () => {
      const geoip = named<ConfigMap>(manifests, 'ConfigMap', 'edge-geoip');
      expect(geoip.metadata.namespace).toBe('udp');
      expect(geoip.data).toEqual({ source: 'ricochet-udp-server: geoip data' });
    });

    it("labels them with the release's labels and commonLabels under their own, never the pods' selector labels", () => {
      const geoip = named(manifests, 'ConfigMap', 'edge-geoip');
      expect(geoip.metadata.labels).toEqual({
        'app.kubernetes.io/instance': 'ricochet',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/part-of': 'ricochet',
        'helm.sh/chart': 'udp-server-0.2.0',
        'cost-centre': 'cc-4711',
        team: 'geo',
      });
      expect(geoip.metadata.annotations).toEqual({ 'owner.example.com/contact': 'edge-oncall@example.com' });
    });
  });

  it.each([
    ['a string that is not a map', ['just text'], 'extraManifests[0] is not a YAML map once rendered'],
    [
      'an object without a kind',
      ['apiVersion: v1\nmetadata:\n  name: a\n'],
      'extraManifests[0] needs apiVersion, kind and metadata.name (once rendered it has apiVersion "v1", kind "", name "a")',
    ],
    [
      'a name that renders empty',
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '{{ .Values.nameOverride }}' } }],
      'extraManifests[0] needs apiVersion, kind and metadata.name',
    ],
    [
      'two documents in one item',
      ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\n'],
      'extraManifests[0] holds several YAML documents',
    ],
  ])('fails on %s, naming the item', (_case, extraManifests, message) => {
    expect(renderError({ values: { extraManifests } })).toContain(message);
  });
});
