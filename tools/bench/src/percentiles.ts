// Pure helpers for the numbers a benchmark reports: latency percentiles over recorded samples, and the median
// of a few runs. No I/O, so the unit test can pin them exactly.

export interface LatencySummary {
  /** How many samples the figures below are taken over. */
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

const EMPTY_SUMMARY: LatencySummary = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };

/**
 * The nearest-rank percentile `p` (0 < p ≤ 100) of the first `count` values of `sorted`, which must be in
 * ascending order: the smallest value with at least p% of the values at or below it.
 */
export function percentile(sorted: ArrayLike<number>, count: number, p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (count <= 0) return 0;
  const rank = Math.ceil((p / 100) * count);
  return sorted[Math.min(count, rank) - 1] as number;
}

/** Sorts the first `count` samples in place and summarises them. */
export function summarize(samples: Float32Array | Float64Array, count: number): LatencySummary {
  if (count <= 0) return EMPTY_SUMMARY;
  const used = samples.subarray(0, count).sort();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += used[i] as number;
  return {
    count,
    mean: sum / count,
    p50: percentile(used, count, 50),
    p90: percentile(used, count, 90),
    p99: percentile(used, count, 99),
    p999: percentile(used, count, 99.9),
    max: used[count - 1] as number,
  };
}

/** The median of a few values (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
