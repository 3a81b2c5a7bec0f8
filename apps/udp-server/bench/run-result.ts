import type { CpuPercents } from './cpu-usage';
import type { LatencySummary } from './percentiles';

/** The server, the naive Node echo it is compared with, and the C echo that `--calibrate` measures the generator against. */
export type TargetName = 'echo' | 'server' | 'mmsg-echo';

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
