// What the bench drives: the naive Node echo, the C mmsg echo, and the server bundle once per socket I/O path,
// worker count and tail-study variant. Names are what the report, the JSON and --min-ratio use.
import { MessageType } from '@ricochet/protocol';
import { VARIANTS, type VariantName } from './variants';

export const SERVER_PATHS = ['dgram', 'batched'] as const;
export type ServerPath = (typeof SERVER_PATHS)[number];

export const ECHO = 'echo';
export const MMSG_ECHO_TARGET = 'mmsg-echo';

export interface ServerTarget {
  readonly name: string;
  readonly path: ServerPath;
  readonly workers: number;
  readonly variant: VariantName | undefined;
}

/** `batched`, `batched-w2` (WORKERS=2), `batched+scraped` (a variant). */
export function serverTargetName(path: ServerPath, workers: number, variant?: VariantName): string {
  return `${path}${workers > 1 ? `-w${workers}` : ''}${variant === undefined ? '' : `+${variant}`}`;
}

/** Every server target: each path at each worker count, then each path's one-worker server per variant. */
export function serverTargets(
  paths: readonly ServerPath[],
  workers: readonly number[],
  variants: readonly VariantName[],
): ServerTarget[] {
  return [
    ...paths.flatMap((path) =>
      workers.map((count) => ({ name: serverTargetName(path, count), path, workers: count, variant: undefined })),
    ),
    ...paths.flatMap((path) =>
      variants.map((variant) => ({ name: serverTargetName(path, 1, variant), path, workers: 1, variant })),
    ),
  ];
}

/**
 * The server with every check on, as deployed; the metrics port on loopback. The reply limits too: loopback is
 * exempt by default, which would skip them, so nothing is exempt here and the rates are set too high to limit:
 * each datagram pays for both bucket lookups but is never dropped.
 */
export const SERVER_ENV = {
  DRAIN_SECONDS: '0',
  LOG_LEVEL: 'warn',
  METRICS_HOST: '127.0.0.1',
  RATE_LIMIT_EXEMPT: 'none',
  RATE_LIMIT_SOURCE_RATE: '1000000',
  RATE_LIMIT_SOURCE_BURST: '1000000',
  RATE_LIMIT_PREFIX_RATE: '1000000',
  RATE_LIMIT_PREFIX_BURST: '1000000',
} as const;

/** The environment of one server target: its path asked for explicitly (batched refuses to run without the addon). */
export function serverEnv(target: ServerTarget, metricsPort: number): Record<string, string> {
  return { ...SERVER_ENV, SOCKET_IO: target.path, WORKERS: String(target.workers), METRICS_PORT: String(metricsPort) };
}

export function serverNodeArgs(target: ServerTarget): readonly string[] {
  return target.variant === undefined ? [] : VARIANTS[target.variant].nodeArgs;
}

export const SERVER_REPLY_TYPE = MessageType.PONG;
/** The echoes return the PING as it came. */
export const ECHO_REPLY_TYPE = MessageType.PING;
