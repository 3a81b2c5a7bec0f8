import { MESSAGES, type AnyCodec, type MessageTable } from '@ricochet/protocol';
import { DROP_REASON_NAMES } from './drop-reasons';
import { LatencyHistogram, type HistogramCounts } from './observability/latency-histogram';

/** The received kind of everything that is not a request type of the table. */
export const OTHER_KIND = 'other';

/** A message type's label value in the stats and metrics: its name, lower-cased (`health_status`). */
export function kindName(codec: AnyCodec): string {
  return codec.name.toLowerCase();
}

/**
 * Plain counters, bumped on the per-datagram path and read by whoever reports them (logs, metrics).
 * Typed arrays indexed by small integers: no Map lookups and no allocation per datagram. The kinds come from the
 * message table: one received kind per request type plus "other", one reply kind per reply type.
 */
export class ServerStats {
  /** Label values of `received`, by index. */
  readonly receivedKinds: readonly string[];
  /** Label values of `replies`, by index. */
  readonly replyKinds: readonly string[];
  readonly received: Float64Array;
  readonly replies: Float64Array;
  readonly dropped = new Float64Array(DROP_REASON_NAMES.length);
  /** Failed sends by error code (EAGAIN, ENOBUFS, …). Rare, so a Map is fine. */
  readonly sendErrors = new Map<string, number>();
  /** Time spent on each datagram, from read to reply handed to the socket (or drop). */
  readonly handlingSeconds = new LatencyHistogram();

  constructor(messages: MessageTable = MESSAGES) {
    this.receivedKinds = [...messages.requests.map(kindName), OTHER_KIND];
    this.replyKinds = messages.replies.map(kindName);
    this.received = new Float64Array(this.receivedKinds.length);
    this.replies = new Float64Array(this.replyKinds.length);
  }

  /** At start-up: the `received` index of a request type, or of "other" for anything else. */
  receivedKindOf(codec: AnyCodec | undefined): number {
    return codec === undefined ? this.receivedKinds.length - 1 : this.receivedKinds.indexOf(kindName(codec));
  }

  /** At start-up: the `replies` index of a reply type. */
  replyKindOf(codec: AnyCodec): number {
    return this.replyKinds.indexOf(kindName(codec));
  }

  /** `count` replies lost to one failure (a batched send reports a run of them at once). */
  countSendError(code: string, count = 1): void {
    this.sendErrors.set(code, (this.sendErrors.get(code) ?? 0) + count);
  }

  /** Everything counted, as plain numbers: what a worker thread posts to the main thread (see setToSum). */
  toCounts(): StatsCounts {
    return {
      received: Array.from(this.received),
      replies: Array.from(this.replies),
      dropped: Array.from(this.dropped),
      sendErrors: [...this.sendErrors],
      handling: this.handlingSeconds.toCounts(),
    };
  }

  /** Makes these stats the sum of `parts`, each from stats of the same message table: a pool's, over its workers. */
  setToSum(parts: readonly StatsCounts[]): void {
    const sum = (target: Float64Array, pick: (part: StatsCounts) => readonly number[]): void => {
      target.fill(0);
      for (const part of parts) pick(part).forEach((n, i) => (target[i] = (target[i] as number) + n));
    };
    sum(this.received, (part) => part.received);
    sum(this.replies, (part) => part.replies);
    sum(this.dropped, (part) => part.dropped);
    this.sendErrors.clear();
    for (const part of parts) for (const [code, count] of part.sendErrors) this.countSendError(code, count);
    this.handlingSeconds.setToSum(parts.map((part) => part.handling));
  }

  /** A plain-object copy, for logs and tests. */
  snapshot(): StatsSnapshot {
    return {
      received: toRecord(this.receivedKinds, this.received),
      replies: toRecord(this.replyKinds, this.replies),
      dropped: toRecord(DROP_REASON_NAMES, this.dropped),
      sendErrors: Object.fromEntries(this.sendErrors),
    };
  }
}

export interface StatsCounts {
  readonly received: readonly number[];
  readonly replies: readonly number[];
  readonly dropped: readonly number[];
  readonly sendErrors: readonly (readonly [string, number])[];
  readonly handling: HistogramCounts;
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
