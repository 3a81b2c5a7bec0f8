import type { Metric, OpenMetricsContentType } from 'prom-client';
import { Registry } from './prom-client';
import type { ExpositionFormat } from './exposition-format';

/** A metric as prom-client's registry uses it when rendering (its typings name only its own classes). */
interface RegisteredMetric {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator: string;
  get(): Promise<{ name: string }>;
}

/**
 * The same metric as an OpenMetrics counter family: named without `_total`, which prom-client then appends to
 * each sample. prom-client renames the counters it renders as OpenMetrics in place instead, so a registry once
 * rendered that way would print its counters without `_total` in the text format afterwards; a view leaves the
 * registered metric as it was.
 */
function counterFamily(metric: RegisteredMetric): RegisteredMetric {
  const name = metric.name.replace(/_total$/, '');
  return {
    name,
    help: metric.help,
    type: metric.type,
    aggregator: metric.aggregator,
    get: async () => ({ ...(await metric.get()), name }),
  };
}

/** Renders a text-format registry (prom-client's default) in either exposition format. */
export function renderExposition(registry: Registry, format: ExpositionFormat): Promise<string> {
  if (format === 'text') return registry.metrics();
  // Built at each render (at most one per interval and format), so metrics registered later are included.
  const openMetrics = new Registry<OpenMetricsContentType>();
  openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  for (const metric of registry.getMetricsAsArray() as unknown as RegisteredMetric[]) {
    openMetrics.registerMetric((metric.type === 'counter' ? counterFamily(metric) : metric) as unknown as Metric);
  }
  return openMetrics.metrics();
}
