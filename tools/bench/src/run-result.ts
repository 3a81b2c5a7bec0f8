import { cpuBetween, type CpuPercents, type CpuSnapshot } from './cpu-usage';
import { summarize, type LatencySummary } from './percentiles';

/** A target's name: `echo`, `mmsg-echo`, or a server's (targets.ts: `batched`, `dgram-w2`, `batched+scraped`). */
export type TargetName = string;

/** Which load generator ran: the C one (mmsg-load.c, the default) or the Node one in this process. */
export type GeneratorKind = 'c' | 'node';

/** What one generator run against one target measured, over its measured window only. */
export interface RunResult {
  readonly target: TargetName;
  readonly generator: GeneratorKind;
  readonly mode: 'closed-loop' | 'open-loop';
  /** Measured window, in seconds (shorter than asked when --max-requests was reached). */
  readonly seconds: number;
  /** Requests sent inside the window. */
  readonly sent: number;
  /** Of those, how many got their reply. */
  readonly answered: number;
  /** Of those, how many got none within --timeout-ms. */
  readonly lost: number;
  readonly lossPercent: number;
  /** Replies received inside the window, per second. */
  readonly repliesPerSecond: number;
  /** Datagrams that were not the reply to an outstanding request: late, duplicated or malformed. */
  readonly unexpected: number;
  /** Round-trip time of the answered requests, in microseconds. */
  readonly rttUs: LatencySummary;
  readonly cpuPercent: CpuPercents;
  /** C generator only: its sendmmsg + recvmmsg calls per reply received (1 per datagram each would be 2). */
  readonly generatorSyscallsPerReply?: number;
}

/** A target process the generator drives. */
export interface RunTarget {
  readonly name: TargetName;
  readonly port: number;
  readonly pid: number;
  /** The type byte of a correct reply: PONG from the server, the PING itself from an echo. */
  readonly replyType: number;
}

/** Where a generator run is: unmeasured warm-up, the measured window, waiting for the window's replies, done. */
export const Phase = { WARMUP: 0, MEASURE: 1, DRAIN: 2, DONE: 3 } as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** What the Node generator counted over the measured window, in either mode. */
export interface WindowCounts {
  readonly sent: number;
  readonly answered: number;
  readonly lost: number;
  readonly replies: number;
  readonly unexpected: number;
  readonly samples: Float32Array;
  readonly sampleCount: number;
}

/** The RunResult of a Node generator run whose measured window went from `start` to `end`. */
export function nodeRunResult(
  target: RunTarget,
  mode: RunResult['mode'],
  counts: WindowCounts,
  start: CpuSnapshot,
  end: CpuSnapshot,
): RunResult {
  const seconds = Math.max(1e-3, (end.wallMs - start.wallMs) / 1000);
  return {
    target: target.name,
    generator: 'node',
    mode,
    seconds,
    sent: counts.sent,
    answered: counts.answered,
    lost: counts.lost,
    lossPercent: counts.sent === 0 ? 0 : (counts.lost / counts.sent) * 100,
    repliesPerSecond: counts.replies / seconds,
    unexpected: counts.unexpected,
    rttUs: summarize(counts.samples, counts.sampleCount),
    cpuPercent: cpuBetween(start, end),
  };
}
