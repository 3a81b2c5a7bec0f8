import { ExitCode } from '@ricochet/config';

/** What `health-probe` exits with; Kubernetes only reads zero/non-zero, people and scripts read the rest. */
export const ProbeExit = {
  /** The answer met the expectation (check), or at least one reply came back (ping). */
  OK: 0,
  /** The server answered, but not as expected (for example DRAINING when SERVING was required). */
  UNHEALTHY: 1,
  /** No valid answer in time. */
  NO_ANSWER: 2,
  USAGE: ExitCode.USAGE,
  CONFIG: ExitCode.CONFIG,
} as const;

export type ProbeExit = (typeof ProbeExit)[keyof typeof ProbeExit];
