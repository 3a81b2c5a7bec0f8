import { ExitCode } from '@ricochet/config';

/** What `health-probe check` exits with; Kubernetes only reads zero/non-zero, people and scripts read the rest. */
export const ProbeExit = {
  /** The answer met the expectation. */
  OK: 0,
  /** The server answered, but not as expected (for example DRAINING when SERVING was required). */
  UNHEALTHY: 1,
  /** No valid answer in time, or the probe could not send (the name did not resolve, no route). */
  NO_ANSWER: 2,
  USAGE: ExitCode.USAGE,
  CONFIG: ExitCode.CONFIG,
} as const;

export type ProbeExit = (typeof ProbeExit)[keyof typeof ProbeExit];

/** What `health-probe ping` exits with: iputils ping's codes, so scripts written for ping(8) read it right. */
export const PingExit = {
  /** Replies came back (with `-c` and `-w`: as many as `-c`). */
  REPLIED: 0,
  /** No reply (with `-c` and `-w`: fewer than `-c` before the deadline). */
  NO_REPLY: 1,
  /** Nothing could be sent: the name did not resolve, no route. */
  ERROR: 2,
  USAGE: ExitCode.USAGE,
  CONFIG: ExitCode.CONFIG,
} as const;

export type PingExit = (typeof PingExit)[keyof typeof PingExit];
