import { LatencyHistogram } from './latency-histogram';

describe('LatencyHistogram', () => {
  it('counts each observation in the first bucket whose bound it does not exceed, and +Inf past the last', () => {
    const h = new LatencyHistogram([0.001, 0.01]);
    for (const seconds of [0.0005, 0.001, 0.002, 0.5]) h.observe(seconds);
    expect(h.cumulative()).toEqual([
      { le: 0.001, count: 2 },
      { le: 0.01, count: 3 },
      { le: Number.POSITIVE_INFINITY, count: 4 },
    ]);
    expect(h.count).toBe(4);
    expect(h.sum).toBeCloseTo(0.5035, 10);
  });
});
