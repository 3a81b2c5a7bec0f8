import { median, percentile, summarize } from '../src/percentiles';

describe('bench percentiles', () => {
  it('takes the nearest-rank percentile of the first count values', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 100, 50)).toBe(50);
    expect(percentile(sorted, 100, 99)).toBe(99);
    expect(percentile(sorted, 100, 100)).toBe(100);
    expect(percentile(sorted, 10, 50)).toBe(5);
    expect(percentile(sorted, 10, 99.9)).toBe(10);
  });

  it('gives the only value for every percentile of one sample, and 0 for none', () => {
    expect(percentile([7], 1, 1)).toBe(7);
    expect(percentile([7], 1, 100)).toBe(7);
    expect(percentile([], 0, 50)).toBe(0);
  });

  it('rejects a percentile outside (0, 100]', () => {
    expect(() => percentile([1], 1, 0)).toThrow(RangeError);
    expect(() => percentile([1], 1, 101)).toThrow(RangeError);
  });

  it('summarises only the recorded samples, sorting them numerically in place', () => {
    const samples = new Float32Array(8);
    samples.set([30, 5, 100, 20]);
    expect(summarize(samples, 4)).toEqual({ count: 4, mean: 38.75, p50: 20, p90: 100, p99: 100, p999: 100, max: 100 });
    expect(Array.from(samples.subarray(0, 4))).toEqual([5, 20, 30, 100]);
  });

  it('summarises no samples as zeros', () => {
    expect(summarize(new Float32Array(4), 0)).toMatchObject({ count: 0, p50: 0, p99: 0, max: 0 });
  });

  it('takes the median of odd and even counts without reordering its input', () => {
    const values = [3, 1, 2];
    expect(median(values)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
