import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';
import { parse } from 'yaml';
import { CHART, helm } from './helpers';

describe('Chart.yaml and the packaged chart', () => {
  it('declares apiVersion v2, version 0.2.0, appVersion 0.1.0 and kubeVersion >=1.27.0-0', () => {
    expect(parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8'))).toMatchObject({
      apiVersion: 'v2',
      name: 'udp-server',
      type: 'application',
      version: '0.2.0',
      appVersion: '0.1.0',
      kubeVersion: '>=1.27.0-0',
    });
  });

  it('packages the templates, the schema, ci/, the dashboard, the adapter and production values, but not the local-cluster values (.helmignore)', () => {
    const out = makeTempDir('helm-package');
    const { status, stderr } = helm(['package', CHART, '--destination', out]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    const files = execFileSync('tar', ['-tzf', join(out, 'udp-server-0.2.0.tgz')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'udp-server/Chart.yaml',
        'udp-server/values.yaml',
        'udp-server/values.schema.json',
        'udp-server/README.md',
        'udp-server/templates/extra-manifests.yaml',
        'udp-server/templates/deployment.yaml',
        'udp-server/templates/tests/test-ping.yaml',
        'udp-server/ci/01-defaults-values.yaml',
        'udp-server/templates/servicemonitor.yaml',
        'udp-server/templates/prometheusrule.yaml',
        'udp-server/dashboards/udp-server.json',
        'udp-server/extras/prometheus-adapter-values.yaml',
        'udp-server/values-production.yaml',
      ]),
    );
    expect(files).not.toContain('udp-server/values-local.yaml');
  });
});
