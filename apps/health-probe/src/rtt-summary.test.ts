import { percentile, summarise } from './rtt-summary';

describe('rtt summary', () => {
  it('uses nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises min, avg, p50, p99 and max, and nothing for no samples', () => {
    expect(summarise([3, 1, 2])).toEqual({ min: 1, avg: 2, p50: 2, p99: 3, max: 3 });
    expect(summarise([])).toBeUndefined();
  });
});
