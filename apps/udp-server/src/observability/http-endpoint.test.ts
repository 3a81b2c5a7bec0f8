import { Registry } from 'prom-client';
import { registerComputedMetric } from './computed-metric';
import { startHttpEndpoint, type HttpEndpoint } from './http-endpoint';

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

const endpoints: HttpEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.close()));
});

/** An endpoint on loopback whose registry counts its renders, and fails them while `failing` is set. */
async function countingEndpoint(renderIntervalMs: number) {
  const state = { renders: 0, failing: false };
  const registry = new Registry();
  registerComputedMetric(registry, {
    name: 'test_renders_total',
    help: 'Renders of this registry.',
    type: 'counter',
    samples: () => {
      if (state.failing) throw new Error('boom');
      return [{ labels: {}, value: ++state.renders }];
    },
  });
  const ok = { ready: true, reason: 'test' };
  const endpoint = await startHttpEndpoint({
    host: '127.0.0.1',
    port: 0,
    registry,
    renderIntervalMs,
    readiness: () => Promise.resolve(ok),
    liveness: () => ok,
  });
  endpoints.push(endpoint);
  const scrape = async (accept?: string) => {
    const response = await fetch(`http://127.0.0.1:${endpoint.address.port}/metrics`, {
      headers: accept === undefined ? {} : { accept },
    });
    return {
      status: response.status,
      text: await response.text(),
      contentType: response.headers.get('content-type'),
      vary: response.headers.get('vary'),
    };
  };
  return { state, scrape };
}

describe('/metrics rendering', () => {
  it('renders once for a burst of concurrent scrapes, and serves them all the same text', async () => {
    const { state, scrape } = await countingEndpoint(10_000);
    // Fewer than HTTP_LIMITS.maxConnections, so that no scrape is turned away.
    const scrapes = await Promise.all(Array.from({ length: 40 }, () => scrape()));
    expect(state.renders).toBe(1);
    expect(new Set(scrapes.map(({ status, text }) => `${status} ${text}`)).size).toBe(1);
    expect(scrapes[0]!.text).toContain('test_renders_total 1');
  });

  it('keeps one shared render per format: a burst of both formats renders each once, each in its own type', async () => {
    const { state, scrape } = await countingEndpoint(10_000);
    const scrapes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => scrape(i % 2 === 0 ? OPENMETRICS : 'text/plain;version=0.0.4')),
    );
    expect(state.renders).toBe(2);
    const openMetrics = scrapes.filter((_, i) => i % 2 === 0);
    const text = scrapes.filter((_, i) => i % 2 === 1);
    expect(new Set(openMetrics.map((s) => `${s.status} ${s.contentType} ${s.text}`)).size).toBe(1);
    expect(new Set(text.map((s) => `${s.status} ${s.contentType} ${s.text}`)).size).toBe(1);
    expect(openMetrics[0]).toMatchObject({
      status: 200,
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      text: expect.stringMatching(
        /^# HELP test_renders Renders of this registry\.\n# TYPE test_renders counter\ntest_renders_total \d\n# EOF\n$/,
      ),
    });
    expect(text[0]).toMatchObject({
      status: 200,
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      text: expect.stringMatching(
        /^# HELP test_renders_total Renders of this registry\.\n# TYPE test_renders_total counter\ntest_renders_total \d\n$/,
      ),
    });
  });

  it('answers in the text format without an Accept header, and says that the answer varies with Accept', async () => {
    const { scrape } = await countingEndpoint(0);
    expect(await scrape()).toMatchObject({ contentType: 'text/plain; version=0.0.4; charset=utf-8', vary: 'Accept' });
    expect(await scrape(OPENMETRICS)).toMatchObject({ vary: 'Accept' });
  });

  it('serves the last render within the interval, and renders again after it', async () => {
    const everyTime = await countingEndpoint(0);
    await everyTime.scrape();
    await everyTime.scrape();
    expect(everyTime.state.renders).toBe(2);
    const cached = await countingEndpoint(60_000);
    await cached.scrape();
    await cached.scrape();
    expect(cached.state.renders).toBe(1);
  });

  it('lets a failed render fail its scrapes, and tries again on the next', async () => {
    const { state, scrape } = await countingEndpoint(60_000);
    state.failing = true;
    expect(await scrape()).toMatchObject({ status: 500, text: 'internal error: boom\n' });
    state.failing = false;
    expect(await scrape()).toMatchObject({ status: 200, text: expect.stringContaining('test_renders_total 1') });
  });
});
