// The two parts of prom-client the server uses, required by path. Its index also loads its Pushgateway, and with it
// https, tls and zlib: 5 MB more resident memory (VmRSS, measured on Node 24) for a client that never
// pushes. The types are the index's own. Import prom-client's values from here, never from 'prom-client'.
import type {
  PrometheusContentType,
  Registry as RegistryClass,
  RegistryContentType,
  collectDefaultMetrics as CollectDefaultMetrics,
} from 'prom-client';

export const Registry: typeof RegistryClass = require('prom-client/lib/registry');
export const collectDefaultMetrics: typeof CollectDefaultMetrics = require('prom-client/lib/defaultMetrics');
export type Registry<ContentType extends RegistryContentType = PrometheusContentType> = RegistryClass<ContentType>;
