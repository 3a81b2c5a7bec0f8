export interface RttSummary {
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  /** Mean deviation as ping(8) reports it: the population standard deviation, sqrt(mean(x²) − mean(x)²). */
  readonly mdev: number;
  readonly p50: number;
  /** Only from MIN_SAMPLES_FOR_P99 samples on. */
  readonly p99?: number;
}

/**
 * Below 100 samples the nearest-rank p99 is the maximum itself (rank ⌈0.99·n⌉ = n), so it would repeat `max`
 * under a name that promises more: it is left out until there are 100.
 */
export const MIN_SAMPLES_FOR_P99 = 100;

/** Nearest-rank percentile of sorted values: the smallest value with at least p% of the values at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Samples kept for percentiles; past this a uniform random subset stands for all (8 MB at most). */
const MAX_KEPT_SAMPLES = 1_000_000;

/**
 * Round-trip times of a run that may last for days (`ping` without `-c`): min, max, mean and deviation are exact
 * running sums, percentiles come from at most MAX_KEPT_SAMPLES samples (reservoir sampling past that).
 */
export class RttSamples {
  #count = 0;
  #mean = 0;
  /** Sum of squared distances from the mean (Welford), for mdev. */
  #m2 = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  readonly #kept: number[] = [];
  readonly #maxKept: number;
  readonly #random: () => number;

  constructor({ maxKept = MAX_KEPT_SAMPLES, random = Math.random }: { maxKept?: number; random?: () => number } = {}) {
    this.#maxKept = maxKept;
    this.#random = random;
  }

  get count(): number {
    return this.#count;
  }

  add(ms: number): void {
    this.#count++;
    const delta = ms - this.#mean;
    this.#mean += delta / this.#count;
    this.#m2 += delta * (ms - this.#mean);
    this.#min = Math.min(this.#min, ms);
    this.#max = Math.max(this.#max, ms);
    if (this.#kept.length < this.#maxKept) this.#kept.push(ms);
    else {
      const slot = Math.floor(this.#random() * this.#count);
      if (slot < this.#maxKept) this.#kept[slot] = ms;
    }
  }

  summary(): RttSummary | undefined {
    if (this.#count === 0) return undefined;
    const sorted = [...this.#kept].sort((a, b) => a - b);
    return {
      min: this.#min,
      avg: this.#mean,
      max: this.#max,
      mdev: Math.sqrt(this.#m2 / this.#count),
      p50: percentile(sorted, 50),
      ...(this.#count >= MIN_SAMPLES_FOR_P99 ? { p99: percentile(sorted, 99) } : {}),
    };
  }
}

export function formatMs(value: number): string {
  return value.toFixed(3);
}
