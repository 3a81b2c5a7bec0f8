import { stringify } from 'yaml';
import type { RegistryPaths } from './layout';

/**
 * docker-registry's configuration: filesystem storage under the state directory, deletes allowed (so a test can
 * remove what it pushed), TLS with the registry's own certificate, no authentication (loopback only).
 */
export function registryConfig(paths: RegistryPaths, address: string): string {
  return stringify({
    version: 0.1,
    log: { level: 'info', formatter: 'text', fields: { service: 'ricochet-registry' } },
    storage: {
      filesystem: { rootdirectory: paths.storage },
      delete: { enabled: true },
      cache: { blobdescriptor: 'inmemory' },
    },
    http: {
      addr: address,
      tls: { certificate: `${paths.tls}/server.crt`, key: `${paths.tls}/server.key` },
      headers: { 'X-Content-Type-Options': ['nosniff'] },
    },
  });
}
