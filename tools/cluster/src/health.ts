import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createError } from '@ricochet/errors';

export type Tls = { readonly ca: Buffer; readonly cert: Buffer; readonly key: Buffer } | 'self-signed';

/** The admin client certificate and the cluster CA, for health checks against the API server. */
export function adminTls(pki: string): Tls {
  return {
    ca: readFileSync(join(pki, 'ca.crt')),
    cert: readFileSync(join(pki, 'admin.crt')),
    key: readFileSync(join(pki, 'admin.key')),
  };
}

/** Whether a GET of `url` answers 200 within `timeoutMs`. Never throws. */
export function answers200(url: string, tls: Tls = 'self-signed', timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const options = {
      timeout: timeoutMs,
      ...(tls === 'self-signed' ? { rejectUnauthorized: false } : { ca: tls.ca, cert: tls.cert, key: tls.key }),
    };
    const get = url.startsWith('https:') ? request : httpRequest;
    const req = get(url, options, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** The last lines of a log file, for error messages. */
export function logTail(path: string, lines = 12): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls `check` every 250 ms until it holds, or throws UDP_ERR_CLUSTER_TIMEOUT after `timeoutMs` with the tail of
 * the log that explains why. For processes that are not our children there is no event to await.
 */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  log?: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await delay(250);
  }
  throw createError('UDP_ERR_CLUSTER_TIMEOUT', what, timeoutMs / 1000, log ?? '(none)', log ? logTail(log) : '');
}
