import { loadSettings, serverSettings } from '@ricochet/config';
import { FULLNAME, type Manifest, one, podTemplateAnnotations, render, renderTemplate } from './helpers';

const TEMPLATE = 'templates/configmap.yaml';

function data(values: Record<string, unknown> = {}): Record<string, string> {
  return one<Manifest & { data: Record<string, string> }>(renderTemplate(TEMPLATE, { values }), 'ConfigMap').data;
}

function checksum(values: Record<string, unknown> = {}): string {
  const checksumValue = podTemplateAnnotations(one(render({ values }), 'Deployment'))['checksum/config'];
  expect(checksumValue).toMatch(/^[0-9a-f]{64}$/);
  return checksumValue!;
}

describe('configmap.yaml', () => {
  it('holds the server settings as the environment variables the server reads, with its defaults', () => {
    expect(data()).toEqual({
      UDP_HOST: '0.0.0.0',
      UDP_PORT: '9999',
      LOG_LEVEL: 'info',
      DRAIN_SECONDS: '10',
      MAX_DATAGRAM_BYTES: '1472',
      RECV_BUFFER_BYTES: '4194304',
      METRICS_HOST: '0.0.0.0',
      METRICS_PORT: '9464',
      DROP_LOG_INTERVAL_SECONDS: '10',
      SOCKET_IO: 'auto',
      WORKERS: '1',
      RATE_LIMIT_SOURCE_RATE: '100',
      RATE_LIMIT_SOURCE_BURST: '200',
      RATE_LIMIT_PREFIX_RATE: '1000',
      RATE_LIMIT_PREFIX_BURST: '2000',
      RATE_LIMIT_IPV4_PREFIX: '24',
      RATE_LIMIT_IPV6_PREFIX: '56',
      RATE_LIMIT_TABLE_SIZE: '65536',
      RATE_LIMIT_EXEMPT: '127.0.0.0/8,::1/128',
    });
  });

  it('sets every setting the server reads, to a value it accepts: the same defaults but drainSeconds', () => {
    const env = data();
    expect(Object.keys(env).sort()).toEqual(
      Object.values(serverSettings)
        .map((s) => s.env)
        .sort(),
    );
    const defaults = loadSettings(serverSettings, { env: {}, argv: [] });
    expect(loadSettings(serverSettings, { env, argv: [] })).toEqual({ ...defaults, drainSeconds: 10 });
  });

  it('turns an empty exempt list into "none", which the server reads as no exemption', () => {
    const env = data({ server: { rateLimit: { exempt: [] } } });
    expect(env['RATE_LIMIT_EXEMPT']).toBe('none');
    expect(loadSettings(serverSettings, { env, argv: [] }).rateLimitExempt).toEqual([]);
  });

  it('takes the metrics address and port from metrics.* and the drop-log interval from server.*', () => {
    expect(data({ metrics: { host: '::', port: 9100 }, server: { dropLogIntervalSeconds: 0.5 } })).toMatchObject({
      METRICS_HOST: '::',
      METRICS_PORT: '9100',
      DROP_LOG_INTERVAL_SECONDS: '0.5',
    });
  });

  it.each([
    ['1000m (the default)', {}, '1'],
    ['1500m', { resources: { limits: { cpu: '1500m' } } }, '2'],
    ['"2"', { resources: { limits: { cpu: '2' } } }, '2'],
    ['2.5', { resources: { limits: { cpu: 2.5 } } }, '3'],
    ['250m', { resources: { limits: { cpu: '250m' } } }, '1'],
    ['no CPU limit', { resources: { limits: { cpu: null } } }, '1'],
    ['200 cores', { resources: { limits: { cpu: 200 } } }, '64'],
  ])('sizes WORKERS from a CPU limit of %s when server.workers is auto', (_case, values, workers) => {
    expect(data(values)['WORKERS']).toBe(workers);
  });

  it('takes server.workers as given when it is a number', () => {
    expect(data({ server: { workers: 3 } })['WORKERS']).toBe('3');
  });

  it('writes large and fractional numbers as the server parses them, not in float notation', () => {
    expect(data({ server: { recvBufferBytes: 1073741824, maxDatagramBytes: 65507, drainSeconds: 2.5 } })).toMatchObject(
      {
        RECV_BUFFER_BYTES: '1073741824',
        MAX_DATAGRAM_BYTES: '65507',
        DRAIN_SECONDS: '2.5',
      },
    );
  });

  it('is the ConfigMap the Deployment loads with envFrom', () => {
    const manifests = render();
    const configMap = one(manifests, 'ConfigMap');
    const deployment = one<{ spec: { template: { spec: { containers: { envFrom: unknown[] }[] } } } }>(
      manifests,
      'Deployment',
    );
    expect(configMap.metadata.name).toBe(FULLNAME);
    expect(deployment.spec.template.spec.containers[0]!.envFrom).toEqual([{ configMapRef: { name: FULLNAME } }]);
  });

  it.each([
    ['host', { host: '::' }],
    ['port', { port: 10000 }],
    ['logLevel', { logLevel: 'debug' }],
    ['drainSeconds', { drainSeconds: 6 }],
    ['maxDatagramBytes', { maxDatagramBytes: 1200 }],
    ['recvBufferBytes', { recvBufferBytes: 8388608 }],
    ['dropLogIntervalSeconds', { dropLogIntervalSeconds: 30 }],
  ])('changes the checksum/config pod annotation when server.%s changes, so the pods roll', (_key, server) => {
    expect(checksum({ server })).not.toBe(checksum());
  });

  it.each([
    ['host', { host: '::' }],
    ['port', { port: 9100 }],
  ])('changes the checksum/config pod annotation when metrics.%s changes', (_key, metrics) => {
    expect(checksum({ metrics })).not.toBe(checksum());
  });

  it('keeps the checksum when nothing the ConfigMap holds changes', () => {
    expect(checksum({ replicaCount: 5, autoscaling: { enabled: false } })).toBe(checksum());
  });

  it("keeps the checksum when only the ConfigMap's labels or annotations change (commonLabels, commonAnnotations)", () => {
    expect(checksum({ commonLabels: { team: 'edge' }, commonAnnotations: { owner: 'edge' } })).toBe(checksum());
  });
});
