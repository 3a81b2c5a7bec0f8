import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logTail, pollUntil, type Tls } from '@ricochet/daemon';
import { createError } from '@ricochet/errors';

/** The admin client certificate and the cluster CA, for health checks against the API server. */
export function adminTls(pki: string): Tls {
  return {
    ca: readFileSync(join(pki, 'ca.crt')),
    cert: readFileSync(join(pki, 'admin.crt')),
    key: readFileSync(join(pki, 'admin.key')),
  };
}

/**
 * Polls `check` until it holds, or throws UDP_ERR_CLUSTER_TIMEOUT after `timeoutMs` with the tail of the log that
 * explains why.
 */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  log?: string,
): Promise<void> {
  if (await pollUntil(check, timeoutMs)) return;
  throw createError('UDP_ERR_CLUSTER_TIMEOUT', what, timeoutMs / 1000, log ?? '(none)', log ? logTail(log) : '');
}
