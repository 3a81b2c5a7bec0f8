import { CHART_SERVER_VALUES, chartServerSchema } from './chart-values-schema';
import { serverSettings } from './server-settings';

/** Settings the chart sets elsewhere than under `server`, and where. */
const OUTSIDE_SERVER_BLOCK = { metricsHost: 'metrics.host', metricsPort: 'metrics.port' };

function settingsIn(values: object): string[] {
  return Object.values(values).flatMap((entry: object) =>
    'setting' in entry ? [entry.setting as string] : settingsIn((entry as { values: object }).values),
  );
}

describe('the chart schema of the server values', () => {
  it('gives every server setting a chart value, once', () => {
    const mapped = [...settingsIn(CHART_SERVER_VALUES), ...Object.keys(OUTSIDE_SERVER_BLOCK)];
    expect([...mapped].sort()).toEqual(Object.keys(serverSettings).sort());
  });

  it('states each range and level list as the setting does, and says which variable it becomes', () => {
    const schema = chartServerSchema() as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties['logLevel']).toMatchObject({
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    });
    expect(schema.properties['drainSeconds']).toMatchObject({ type: 'number', minimum: 0, maximum: 3600 });
    expect(schema.properties['maxDatagramBytes']?.['description']).toMatch(/^MAX_DATAGRAM_BYTES: /);
  });

  it('narrows only where the chart must, and says why', () => {
    const schema = chartServerSchema() as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties['port']).toMatchObject({ minimum: 1024, maximum: 65535 });
    expect(schema.properties['port']?.['description']).toMatch(/non-root/);
  });

  it('takes a word besides the setting\'s values where the template turns it into one: workers "auto"', () => {
    const schema = chartServerSchema() as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties['workers']).toMatchObject({
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 64 },
        { type: 'string', const: 'auto' },
      ],
      description: expect.stringMatching(/^WORKERS: .* Or "auto": one per core of resources\.limits\.cpu/),
    });
  });

  it('writes a list setting as an array and closes every object to unknown keys', () => {
    const schema = chartServerSchema() as {
      additionalProperties: boolean;
      properties: { rateLimit: { additionalProperties: boolean; properties: Record<string, unknown> } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.rateLimit.additionalProperties).toBe(false);
    expect(schema.properties.rateLimit.properties['exempt']).toMatchObject({
      type: 'array',
      items: { type: 'string' },
    });
  });
});
