/** A histogram's observations as plain numbers. */
export interface HistogramCounts {
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** Upper bounds in seconds: handling a datagram takes microseconds; the top buckets catch stalls. */
const HANDLING_SECONDS_BOUNDS: readonly number[] = [
  0.000_001, 0.000_002_5, 0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.01, 0.1,
];

/**
 * A fixed-bucket histogram for the per-datagram path: observe() is a short scan over preallocated counts, with no
 * label hashing and no allocation (prom-client's Histogram#observe allocates per call). Exposed at scrape time.
 */
export class LatencyHistogram {
  readonly bounds: readonly number[];
  /** counts[i] holds observations in (bounds[i-1], bounds[i]]; the last slot is +Inf. Not cumulative. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[] = HANDLING_SECONDS_BOUNDS) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > (bounds[i] as number)) i++;
    this.counts[i]++;
    this.sum += seconds;
    this.count++;
  }

  /** The observations as plain numbers, for another thread (see ServerStats.counts). */
  toCounts(): HistogramCounts {
    return { counts: Array.from(this.counts), sum: this.sum, count: this.count };
  }

  /** Makes this histogram the sum of `parts` (of the same bounds). */
  setToSum(parts: readonly HistogramCounts[]): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    for (const part of parts) {
      part.counts.forEach((n, i) => (this.counts[i] = (this.counts[i] as number) + n));
      this.sum += part.sum;
      this.count += part.count;
    }
  }

  /** Cumulative counts per upper bound, ending with +Inf, as Prometheus wants them. */
  cumulative(): { le: number; count: number }[] {
    let running = 0;
    const rows = this.bounds.map((le, i) => ({ le, count: (running += this.counts[i] as number) }));
    rows.push({ le: Number.POSITIVE_INFINITY, count: running + (this.counts[this.bounds.length] as number) });
    return rows;
  }
}
