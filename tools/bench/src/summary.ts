// From runs to the figures the bench reports: per-target medians, the server/echo ratio, and whether the
// generator could have been the limit. Pure functions, unit-tested in test/bench-summary.test.ts.
import { median } from './percentiles';
import type { RunResult, TargetName } from './run-result';

/** The server must reach this fraction of the naive echo's replies/s. */
export const TARGET_RATIO = 0.9;

/**
 * A run during which the rest of the machine (other processes, kernel softirq) used more than this, in % of
 * one core, is marked noisy and left out of the medians when the target has quieter runs. Our own traffic's
 * softirq stays well under it.
 */
export const NOISY_OTHER_CPU_PERCENT = 15;

/** A run during which the hypervisor stole more than this (% of one core) is marked noisy too. */
export const NOISY_STEAL_PERCENT = 5;

/** The generator has clear headroom when it spends at most this fraction of the cheaper target's CPU per reply. */
export const GENERATOR_HEADROOM_FRACTION = 0.8;

export interface RoundResult extends RunResult {
  readonly round: number;
  readonly noisy: boolean;
}

/** CPU used on the machine by anything but the generator and the target (other work, kernel softirq). */
export function otherCpuPercent(run: RunResult): number {
  return Math.max(0, run.cpuPercent.machine - run.cpuPercent.generator - run.cpuPercent.target);
}

export function isNoisy(run: RunResult): boolean {
  return otherCpuPercent(run) > NOISY_OTHER_CPU_PERCENT || run.cpuPercent.steal > NOISY_STEAL_PERCENT;
}

/** µs of CPU per reply, from a CPU percentage of one core and a reply rate. */
export function cpuUsPerReply(cpuPercent: number, repliesPerSecond: number): number {
  return repliesPerSecond > 0 ? (cpuPercent / 100) * (1e6 / repliesPerSecond) : Number.NaN;
}

/** Medians over a target's closed-loop runs (the quiet ones, when there are any); loss is summed. */
export interface TargetSummary {
  readonly target: TargetName;
  readonly runs: number;
  /** Runs the medians are taken over: the quiet ones, or all when every run was noisy. */
  readonly runsUsed: number;
  readonly repliesPerSecond: number;
  /** Replies per second of the target's own CPU time: what one fully busy core would answer. */
  readonly repliesPerTargetCpuSecond: number;
  readonly rttP50Us: number;
  readonly rttP99Us: number;
  readonly sent: number;
  readonly lost: number;
  readonly generatorCpuPercent: number;
  readonly targetCpuPercent: number;
  /** CPU time per reply, in µs: whichever side spends more per reply runs out of core first. */
  readonly generatorUsPerReply: number;
  readonly targetUsPerReply: number;
}

export function summarizeTarget(target: TargetName, runs: readonly RoundResult[]): TargetSummary {
  const all = runs.filter((run) => run.target === target);
  const quiet = all.filter((run) => !run.noisy);
  const used = quiet.length > 0 ? quiet : all;
  const mid = (pick: (run: RunResult) => number): number => median(used.map(pick));
  return {
    target,
    runs: all.length,
    runsUsed: used.length,
    repliesPerSecond: mid((run) => run.repliesPerSecond),
    repliesPerTargetCpuSecond: mid((run) => 1e6 / cpuUsPerReply(run.cpuPercent.target, run.repliesPerSecond)),
    rttP50Us: mid((run) => run.rttUs.p50),
    rttP99Us: mid((run) => run.rttUs.p99),
    sent: all.reduce((sum, run) => sum + run.sent, 0),
    lost: all.reduce((sum, run) => sum + run.lost, 0),
    generatorCpuPercent: mid((run) => run.cpuPercent.generator),
    targetCpuPercent: mid((run) => run.cpuPercent.target),
    generatorUsPerReply: mid((run) => cpuUsPerReply(run.cpuPercent.generator, run.repliesPerSecond)),
    targetUsPerReply: mid((run) => cpuUsPerReply(run.cpuPercent.target, run.repliesPerSecond)),
  };
}

/**
 * server / echo replies/s within each round, over the rounds in which both runs were quiet (every round when
 * none was): how far the ratio moves from one pair of runs to the next.
 */
export function roundRatios(runs: readonly RoundResult[]): number[] {
  const rounds = [...new Set(runs.map((run) => run.round))];
  const pairs = rounds.flatMap((round) => {
    const echo = runs.find((run) => run.round === round && run.target === 'echo');
    const server = runs.find((run) => run.round === round && run.target === 'server');
    return echo === undefined || server === undefined || !(echo.repliesPerSecond > 0) ? [] : [{ echo, server }];
  });
  const quiet = pairs.filter(({ echo, server }) => !echo.noisy && !server.noisy);
  return (quiet.length > 0 ? quiet : pairs).map(({ echo, server }) => server.repliesPerSecond / echo.repliesPerSecond);
}

/** headroom: clearly cheaper per reply than both targets · marginal: cheaper, but by less · limiting: not cheaper. */
export type GeneratorVerdict = 'headroom' | 'marginal' | 'limiting';

export interface Comparison {
  /** server / echo median replies/s: the figure the target applies to. */
  readonly ratio: number;
  /** server / echo replies per target CPU-second: the same comparison with any idle time taken out. */
  readonly cpuEfficiencyRatio: number;
  readonly targetRatio: number;
  readonly met: boolean;
  /** Highest generator CPU per reply over both targets, against the cheaper target's. */
  readonly generatorUsPerReply: number;
  readonly cheapestTargetUsPerReply: number;
  readonly generator: GeneratorVerdict;
}

export function compare(echo: TargetSummary, server: TargetSummary): Comparison {
  const ratio = echo.repliesPerSecond > 0 ? server.repliesPerSecond / echo.repliesPerSecond : Number.NaN;
  const generatorUsPerReply = Math.max(echo.generatorUsPerReply, server.generatorUsPerReply);
  const cheapestTargetUsPerReply = Math.min(echo.targetUsPerReply, server.targetUsPerReply);
  const share = generatorUsPerReply / cheapestTargetUsPerReply;
  return {
    ratio,
    cpuEfficiencyRatio: server.repliesPerTargetCpuSecond / echo.repliesPerTargetCpuSecond,
    targetRatio: TARGET_RATIO,
    met: Number.isFinite(ratio) && ratio >= TARGET_RATIO,
    generatorUsPerReply,
    cheapestTargetUsPerReply,
    generator: share <= GENERATOR_HEADROOM_FRACTION ? 'headroom' : share < 1 ? 'marginal' : 'limiting',
  };
}

/** A target at or above this share of one core is saturated: its own CPU, not the generator, sets its rate. */
export const SATURATED_TARGET_CPU_PERCENT = 90;

/** The generator "drives a faster target much higher" when the C echo answers at least this multiple of the naive echo. */
export const CALIBRATION_MIN_HEADROOM = 1.5;

/** Whether the generator could be what limits the closed-loop rates, and the evidence either way. */
export interface BottleneckVerdict {
  /** Both targets' median CPU is at least SATURATED_TARGET_CPU_PERCENT of a core. */
  readonly targetsSaturated: boolean;
  /** The generator spends clearly less CPU per reply than the cheaper target (compare()'s 'headroom'). */
  readonly generatorCheaper: boolean;
  /** Median C echo replies/s over the naive echo's; undefined without calibration. */
  readonly calibrationHeadroom: number | undefined;
  readonly drivesFasterTarget: boolean;
  /**
   * Not the bottleneck: the targets ran out of core while the generator had CPU to spare, or the generator
   * drove a cheaper target much faster than the naive echo.
   */
  readonly generatorNotBottleneck: boolean;
}

export function judgeGenerator(
  echo: TargetSummary,
  server: TargetSummary,
  comparison: Comparison,
  mmsgEcho?: TargetSummary,
): BottleneckVerdict {
  const targetsSaturated =
    echo.targetCpuPercent >= SATURATED_TARGET_CPU_PERCENT && server.targetCpuPercent >= SATURATED_TARGET_CPU_PERCENT;
  const generatorCheaper = comparison.generator === 'headroom';
  const calibrationHeadroom =
    mmsgEcho === undefined || !(echo.repliesPerSecond > 0)
      ? undefined
      : mmsgEcho.repliesPerSecond / echo.repliesPerSecond;
  const drivesFasterTarget = calibrationHeadroom !== undefined && calibrationHeadroom >= CALIBRATION_MIN_HEADROOM;
  return {
    targetsSaturated,
    generatorCheaper,
    calibrationHeadroom,
    drivesFasterTarget,
    generatorNotBottleneck: (targetsSaturated && generatorCheaper) || drivesFasterTarget,
  };
}
