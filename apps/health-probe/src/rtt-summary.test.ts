import { MIN_SAMPLES_FOR_P99, RttSamples, percentile } from './rtt-summary';

function summaryOf(values: readonly number[], options?: ConstructorParameters<typeof RttSamples>[0]) {
  const samples = new RttSamples(options);
  for (const value of values) samples.add(value);
  return samples.summary();
}

describe('rtt summary', () => {
  it('uses nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises min, avg, max, mdev and p50, and nothing for no samples', () => {
    expect(summaryOf([3, 1, 2])).toEqual({ min: 1, avg: 2, max: 3, mdev: Math.sqrt(2 / 3), p50: 2 });
    expect(summaryOf([])).toBeUndefined();
  });

  it('computes mdev as ping(8) does: sqrt(mean of squares minus square of mean)', () => {
    // iputils ping 20221126 on this machine: four replies of 0.042, 0.017, 0.022 and 0.027 ms, summarised as
    // "rtt min/avg/max/mdev = 0.017/0.027/0.042/0.009 ms".
    const rtts = [0.042, 0.017, 0.022, 0.027];
    const summary = summaryOf(rtts)!;
    expect([summary.min, summary.avg, summary.max, summary.mdev].map((ms) => ms.toFixed(3)).join('/')).toBe(
      '0.017/0.027/0.042/0.009',
    );
    const mean = rtts.reduce((a, b) => a + b) / rtts.length;
    expect(summary.mdev).toBeCloseTo(Math.sqrt(rtts.reduce((a, b) => a + b * b, 0) / rtts.length - mean * mean), 12);
    expect(summaryOf([5, 5, 5])!.mdev).toBe(0);
  });

  it(`gives no p99 below ${MIN_SAMPLES_FOR_P99} samples, where it would only repeat the maximum`, () => {
    const ninetyNine = Array.from({ length: MIN_SAMPLES_FOR_P99 - 1 }, (_, i) => i + 1);
    expect(summaryOf(ninetyNine)).not.toHaveProperty('p99');
    const hundred = Array.from({ length: MIN_SAMPLES_FOR_P99 }, (_, i) => i + 1);
    expect(summaryOf(hundred)).toMatchObject({ p99: 99, max: 100 });
  });

  it('keeps exact min, max, avg and mdev past the kept samples, and percentiles from a uniform subset', () => {
    let seed = 1;
    const random = (): number => ((seed = (seed * 48_271) % 2_147_483_647) - 1) / 2_147_483_646;
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const summary = summaryOf(values, { maxKept: 1000, random })!;
    expect(summary).toMatchObject({ min: 1, max: 10_000, avg: 5000.5 });
    expect(summary.mdev).toBeCloseTo(Math.sqrt((10_000 ** 2 - 1) / 12), 6);
    expect(summary.p50).toBeGreaterThan(4000);
    expect(summary.p50).toBeLessThan(6000);
    expect(summary.p99).toBeGreaterThan(9700);
  });
});
