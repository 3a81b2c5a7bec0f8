import type { Metric, MetricValue, MetricValueWithName, Registry } from 'prom-client';

export type MetricKind = 'counter' | 'gauge' | 'histogram';
export type Sample = MetricValueWithName<string> | MetricValue<string>;

export interface ComputedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: MetricKind;
  /** Called at scrape time: read the server's own counters, compute nothing per datagram. */
  readonly samples: () => Sample[] | Promise<Sample[]>;
}

/**
 * Registers a metric whose values are read at scrape time from state the server keeps anyway. prom-client's
 * registry accepts any object with `get()`; its typings only name its own classes, hence the one cast.
 */
export function registerComputedMetric(registry: Registry, metric: ComputedMetric): void {
  const { name, help, type } = metric;
  const computed = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: await metric.samples() }),
  };
  registry.registerMetric(computed as unknown as Metric);
}
