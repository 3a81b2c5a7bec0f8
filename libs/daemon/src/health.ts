import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';

/** How to verify an HTTPS endpoint: against a CA (with a client certificate if given), or not at all. */
export type Tls = { readonly ca: Buffer; readonly cert?: Buffer; readonly key?: Buffer } | 'self-signed' | 'system';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** A GET of `url`: its status and body, or undefined when nothing answers within `timeoutMs`. Never throws. */
export function httpGet(url: string, tls: Tls = 'system', timeoutMs = 2_000): Promise<HttpAnswer | undefined> {
  return new Promise((resolve) => {
    const options = {
      timeout: timeoutMs,
      ...(tls === 'self-signed' ? { rejectUnauthorized: false } : tls === 'system' ? {} : tls),
    };
    const get = url.startsWith('https:') ? request : httpRequest;
    const req = get(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.once('error', () => resolve(undefined));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
}

/** The HTTP status a GET of `url` answers with, or undefined when nothing answers. */
export async function httpStatus(url: string, tls: Tls = 'system', timeoutMs = 2_000): Promise<number | undefined> {
  return (await httpGet(url, tls, timeoutMs))?.status;
}

/** Whether a GET of `url` answers 200 within `timeoutMs`. Never throws. */
export async function answers200(url: string, tls: Tls = 'self-signed', timeoutMs = 2_000): Promise<boolean> {
  return (await httpStatus(url, tls, timeoutMs)) === 200;
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
 * Polls `check` every 250 ms until it holds (true) or `timeoutMs` passes (false). For daemons that are not our
 * children there is no event to await.
 */
export async function pollUntil(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await delay(250);
  }
  return false;
}
