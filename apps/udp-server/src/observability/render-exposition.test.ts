import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { registerComputedMetric } from './computed-metric';
import { renderExposition } from './render-exposition';

/** A registry with one metric of each kind we export, prom-client's own classes and computed ones. */
function registry(): Registry {
  const r = new Registry();
  new Counter({ name: 'client_requests_total', help: 'A prom-client counter.', registers: [r] }).inc(3);
  new Gauge({ name: 'client_temperature_celsius', help: 'A prom-client gauge.', registers: [r] }).set(21.5);
  new Histogram({ name: 'client_latency_seconds', help: 'A histogram.', buckets: [0.1], registers: [r] }).observe(0.05);
  registerComputedMetric(r, {
    name: 'computed_datagrams_total',
    help: 'A computed counter.',
    type: 'counter',
    samples: () => [{ labels: { type: 'ping' }, value: 7 }],
  });
  return r;
}

/** The sample lines, without comments. */
const samples = (text: string): string[] => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

describe('renderExposition', () => {
  it('renders OpenMetrics: counter families without _total, their samples with it, and # EOF last', async () => {
    const text = await renderExposition(registry(), 'openmetrics');
    expect(text).toContain(
      '# HELP client_requests A prom-client counter.\n# TYPE client_requests counter\nclient_requests_total 3\n',
    );
    expect(text).toContain('# TYPE computed_datagrams counter\ncomputed_datagrams_total{type="ping"} 7\n');
    expect(text).toContain('# TYPE client_temperature_celsius gauge\nclient_temperature_celsius 21.5\n');
    expect(text).toContain('client_latency_seconds_bucket{le="0.1"} 1\n');
    expect(text).not.toContain('_total_total');
    expect(text.endsWith('\n# EOF\n')).toBe(true);
  });

  it('leaves the text format as it was, before and after an OpenMetrics rendering', async () => {
    const r = registry();
    const before = await renderExposition(r, 'text');
    await renderExposition(r, 'openmetrics');
    expect(await renderExposition(r, 'text')).toBe(before);
    expect(before).toContain('# TYPE client_requests_total counter\nclient_requests_total 3\n');
    expect(before).not.toContain('# EOF');
  });

  it('carries the same samples in both formats', async () => {
    const r = registry();
    expect(samples(await renderExposition(r, 'openmetrics'))).toEqual(samples(await renderExposition(r, 'text')));
  });

  it('includes metrics registered after an earlier rendering', async () => {
    const r = registry();
    await renderExposition(r, 'openmetrics');
    new Counter({ name: 'late_events_total', help: 'Registered late.', registers: [r] }).inc();
    expect(await renderExposition(r, 'openmetrics')).toContain('# TYPE late_events counter\nlate_events_total 1\n');
  });
});
