// The tail study: what makes the server's p99 at a fixed rate longer than the naive echo's? Each variant runs a
// server again with one suspect switched off (or, for `scraped`, on), from outside its code, so the server
// measured is the bundle as shipped: a preloaded script (`node --require`) that stubs one Node API the server's
// observability uses, a V8 flag, or a scraper in the bench. Compare a variant's p99 with its path's in the same
// rounds: a suspect that matters moves it.
import { resolve } from 'node:path';

export interface Variant {
  readonly description: string;
  /** Node options before the bundle (a preload, a V8 flag). */
  readonly nodeArgs: readonly string[];
  /** Scrape the server's /metrics this often during every run, as Prometheus would. */
  readonly scrapeIntervalMs?: number;
}

// From the workspace root, where the bench runs (as native-build.ts finds the C sources).
const preload = (file: string): string[] => ['--require', resolve('tools/bench/variants', file)];

export const VARIANTS = {
  'no-loop-monitor': {
    description: "prom-client's event-loop delay monitor (a libuv timer every 10 ms) stubbed out",
    nodeArgs: preload('no-loop-monitor.cjs'),
  },
  'no-gc-observer': {
    description: "prom-client's GC observer (a PerformanceObserver callback per collection) stubbed out",
    nodeArgs: preload('no-gc-observer.cjs'),
  },
  'no-intervals': {
    description:
      'every setInterval of 100 ms or more stubbed out: the drop-log reporter (10 s), the HTTP port (500 ms)',
    nodeArgs: preload('no-intervals.cjs'),
  },
  'no-send-callback': {
    description: "dgram's send() without the completion callback the server counts send errors with (a nextTick each)",
    nodeArgs: preload('no-send-callback.cjs'),
  },
  'large-young-gen': {
    description: "V8's young generation at 64 MiB per semi-space (--max-semi-space-size=64): fewer scavenges",
    nodeArgs: ['--max-semi-space-size=64'],
  },
  'small-young-gen': {
    description: "V8's young generation at 1 MiB per semi-space (--max-semi-space-size=1): less memory, more scavenges",
    nodeArgs: ['--max-semi-space-size=1'],
  },
  scraped: {
    description: '/metrics scraped every second during the run (Prometheus scrapes every 30 s by default)',
    nodeArgs: [],
    scrapeIntervalMs: 1000,
  },
} as const satisfies Record<string, Variant>;

export type VariantName = keyof typeof VARIANTS;
