import { DROP_REASON_NAMES } from './drop-reasons';
import { LatencyHistogram } from './metrics/latency-histogram';

/** Kinds of datagram counted on arrival: the two request types, and everything else. */
export const ReceivedKind = { PING: 0, HEALTH: 1, OTHER: 2 } as const;
export type ReceivedKind = (typeof ReceivedKind)[keyof typeof ReceivedKind];
export const RECEIVED_KIND_NAMES: readonly string[] = ['ping', 'health', 'other'];

export const ReplyKind = { PONG: 0, HEALTH_STATUS: 1, ERROR: 2 } as const;
export type ReplyKind = (typeof ReplyKind)[keyof typeof ReplyKind];
export const REPLY_KIND_NAMES: readonly string[] = ['pong', 'health_status', 'error'];

/**
 * Plain counters, bumped on the per-datagram path and read by whoever reports them (logs, metrics).
 * Typed arrays indexed by small integers: no Map lookups and no allocation per datagram.
 */
export class ServerStats {
  readonly received = new Float64Array(RECEIVED_KIND_NAMES.length);
  readonly replies = new Float64Array(REPLY_KIND_NAMES.length);
  readonly dropped = new Float64Array(DROP_REASON_NAMES.length);
  /** Failed sends by error code (EAGAIN, ENOBUFS, …). Rare, so a Map is fine. */
  readonly sendErrors = new Map<string, number>();
  /** Time spent on each datagram, from read to reply handed to the socket (or drop). */
  readonly handlingSeconds = new LatencyHistogram();

  countSendError(code: string): void {
    this.sendErrors.set(code, (this.sendErrors.get(code) ?? 0) + 1);
  }

  /** A plain-object copy, for logs and tests. */
  snapshot(): StatsSnapshot {
    return {
      received: toRecord(RECEIVED_KIND_NAMES, this.received),
      replies: toRecord(REPLY_KIND_NAMES, this.replies),
      dropped: toRecord(DROP_REASON_NAMES, this.dropped),
      sendErrors: Object.fromEntries(this.sendErrors),
    };
  }
}

export interface StatsSnapshot {
  readonly received: Record<string, number>;
  readonly replies: Record<string, number>;
  readonly dropped: Record<string, number>;
  readonly sendErrors: Record<string, number>;
}

function toRecord(names: readonly string[], values: Float64Array): Record<string, number> {
  return Object.fromEntries(names.map((name, i) => [name, values[i] as number]));
}
