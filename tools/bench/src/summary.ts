// From runs to the figures the bench reports: per-target medians, each server's ratios to the two echoes, the
// issue's targets, --min-ratio checks, worker scaling, and whether the generator could have been the limit.
// Pure functions, unit-tested in test/summary.test.ts.
import type { MinRatio } from './cli';
import { median } from './percentiles';
import type { RunResult, TargetName } from './run-result';
import { ECHO, MMSG_ECHO_TARGET, type ServerTarget } from './targets';

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

/** The runs of one target the medians are taken over: the quiet ones, or all when every run was noisy. */
function usedRuns(target: TargetName, runs: readonly RoundResult[]): { all: RoundResult[]; used: RoundResult[] } {
  const all = runs.filter((run) => run.target === target);
  const quiet = all.filter((run) => !run.noisy);
  return { all, used: quiet.length > 0 ? quiet : all };
}

/** Medians over a target's runs of one mode (the quiet ones, when there are any); loss is summed. */
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
  readonly rttP999Us: number;
  readonly sent: number;
  readonly lost: number;
  readonly generatorCpuPercent: number;
  readonly targetCpuPercent: number;
  /** CPU time per reply, in µs: whichever side spends more per reply runs out of core first. */
  readonly generatorUsPerReply: number;
  readonly targetUsPerReply: number;
}

export function summarizeTarget(target: TargetName, runs: readonly RoundResult[]): TargetSummary {
  const { all, used } = usedRuns(target, runs);
  const mid = (pick: (run: RunResult) => number): number => median(used.map(pick));
  return {
    target,
    runs: all.length,
    runsUsed: used.length,
    repliesPerSecond: mid((run) => run.repliesPerSecond),
    repliesPerTargetCpuSecond: mid((run) => 1e6 / cpuUsPerReply(run.cpuPercent.target, run.repliesPerSecond)),
    rttP50Us: mid((run) => run.rttUs.p50),
    rttP99Us: mid((run) => run.rttUs.p99),
    rttP999Us: mid((run) => run.rttUs.p999),
    sent: all.reduce((sum, run) => sum + run.sent, 0),
    lost: all.reduce((sum, run) => sum + run.lost, 0),
    generatorCpuPercent: mid((run) => run.cpuPercent.generator),
    targetCpuPercent: mid((run) => run.cpuPercent.target),
    generatorUsPerReply: mid((run) => cpuUsPerReply(run.cpuPercent.generator, run.repliesPerSecond)),
    targetUsPerReply: mid((run) => cpuUsPerReply(run.cpuPercent.target, run.repliesPerSecond)),
  };
}

/**
 * target / baseline replies/s within each round, over the rounds in which both runs were quiet (every round when
 * none was): how far the ratio moves from one pair of runs to the next.
 */
export function roundRatios(runs: readonly RoundResult[], target: TargetName, baseline: TargetName): number[] {
  const rounds = [...new Set(runs.map((run) => run.round))];
  const pairs = rounds.flatMap((round) => {
    const base = runs.find((run) => run.round === round && run.target === baseline);
    const measured = runs.find((run) => run.round === round && run.target === target);
    return base === undefined || measured === undefined || !(base.repliesPerSecond > 0) ? [] : [{ base, measured }];
  });
  const quiet = pairs.filter(({ base, measured }) => !base.noisy && !measured.noisy);
  return (quiet.length > 0 ? quiet : pairs).map(
    ({ base, measured }) => measured.repliesPerSecond / base.repliesPerSecond,
  );
}

/** One ratio of medians, with the per-round spread behind it. */
export interface Ratio {
  readonly value: number;
  readonly perRound: readonly number[];
}

function ratio(
  summaries: ReadonlyMap<TargetName, TargetSummary>,
  runs: readonly RoundResult[],
  target: TargetName,
  baseline: TargetName,
): Ratio | undefined {
  const measured = summaries.get(target);
  const base = summaries.get(baseline);
  if (measured === undefined || base === undefined || !(base.repliesPerSecond > 0)) return undefined;
  return { value: measured.repliesPerSecond / base.repliesPerSecond, perRound: roundRatios(runs, target, baseline) };
}

/** A server target against the two echoes: closed-loop throughput, CPU, memory and the open loop's tail. */
export interface ServerComparison {
  readonly target: ServerTarget;
  readonly toEcho: Ratio | undefined;
  /** Undefined without calibration (--no-calibrate, or no C compiler). */
  readonly toMmsgEcho: Ratio | undefined;
  /** Replies per target CPU-second, over the naive echo's. */
  readonly cpuEfficiencyToEcho: number;
  /** Open loop: this server's median p99 over the naive echo's. */
  readonly p99ToEcho: number;
  /** Peak RSS over the naive echo's, in bytes (positive: the server used more). */
  readonly peakRssOverEchoBytes: number | undefined;
}

export interface Memory {
  readonly peakRssBytes: number;
  readonly rssBytes: number;
}

export function compareServers(
  servers: readonly ServerTarget[],
  closed: readonly RoundResult[],
  open: readonly RoundResult[],
  memory: ReadonlyMap<TargetName, Memory>,
): ServerComparison[] {
  const names = [ECHO, MMSG_ECHO_TARGET, ...servers.map((server) => server.name)];
  const closedSummaries = new Map(names.map((name) => [name, summarizeTarget(name, closed)]));
  const openSummaries = new Map(names.map((name) => [name, summarizeTarget(name, open)]));
  const echoClosed = closedSummaries.get(ECHO) as TargetSummary;
  const echoOpen = openSummaries.get(ECHO) as TargetSummary;
  const echoMemory = memory.get(ECHO);
  return servers.map((target) => {
    const serverClosed = closedSummaries.get(target.name) as TargetSummary;
    const serverMemory = memory.get(target.name);
    return {
      target,
      toEcho: ratio(closedSummaries, closed, target.name, ECHO),
      toMmsgEcho: ratio(closedSummaries, closed, target.name, MMSG_ECHO_TARGET),
      cpuEfficiencyToEcho: serverClosed.repliesPerTargetCpuSecond / echoClosed.repliesPerTargetCpuSecond,
      p99ToEcho: (openSummaries.get(target.name) as TargetSummary).rttP99Us / echoOpen.rttP99Us,
      peakRssOverEchoBytes:
        serverMemory === undefined || echoMemory === undefined
          ? undefined
          : serverMemory.peakRssBytes - echoMemory.peakRssBytes,
    };
  });
}

/** One of the issue's targets (docs/benchmarks.md), as measured. */
export interface TargetCheck {
  readonly what: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The issue's targets for the plain (one-worker, no variant) server of each path measured. */
export function checkIssueTargets(
  comparisons: readonly ServerComparison[],
  open: readonly RoundResult[],
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');
  for (const comparison of comparisons) {
    const { target } = comparison;
    if (target.workers !== 1 || target.variant !== undefined) continue;
    if (target.path === 'batched' && comparison.toMmsgEcho !== undefined) {
      const value = comparison.toMmsgEcho.value;
      checks.push({
        what: 'batched ≥ 0.8× the C mmsg echo (stretch 1.0)',
        measured: `${fixed(value)}×${value >= 1 ? ', stretch met' : ''}`,
        met: value >= 0.8,
      });
    }
    if (target.path === 'dgram' && comparison.toEcho !== undefined) {
      const value = comparison.toEcho.value;
      checks.push({ what: 'dgram ≥ 0.9× the naive echo', measured: `${fixed(value)}×`, met: value >= 0.9 });
    }
    checks.push({
      what: `${target.name}: p99 at the fixed rate ≤ 1.25× the naive echo's`,
      measured: `${fixed(comparison.p99ToEcho)}×`,
      met: comparison.p99ToEcho <= 1.25,
    });
    const lost = open.filter((run) => run.target === target.name).reduce((sum, run) => sum + run.lost, 0);
    checks.push({ what: `${target.name}: no loss below saturation`, measured: `${lost} lost`, met: lost === 0 });
    if (comparison.peakRssOverEchoBytes !== undefined) {
      const mb = comparison.peakRssOverEchoBytes / 1e6;
      checks.push({
        what: `${target.name}: peak RSS ≤ the naive echo's + 10 MB`,
        measured: `${mb >= 0 ? '+' : ''}${fixed(mb, 1)} MB`,
        met: mb <= 10,
      });
    }
  }
  return checks;
}

export interface MinRatioCheck extends MinRatio {
  /** Undefined when the target or the baseline was not measured. */
  readonly actual: number | undefined;
  readonly met: boolean;
}

/** --min-ratio: each target/baseline pair of closed-loop medians against its minimum. */
export function checkMinRatios(minRatios: readonly MinRatio[], closed: readonly RoundResult[]): MinRatioCheck[] {
  const names = new Set(closed.map((run) => run.target));
  return minRatios.map((spec) => {
    if (!names.has(spec.target) || !names.has(spec.baseline)) return { ...spec, actual: undefined, met: false };
    const base = summarizeTarget(spec.baseline, closed).repliesPerSecond;
    const actual = base > 0 ? summarizeTarget(spec.target, closed).repliesPerSecond / base : Number.NaN;
    return { ...spec, actual, met: Number.isFinite(actual) && actual >= spec.min };
  });
}

/** A path's throughput at each worker count measured, against its one-worker server's. */
export interface WorkerScaling {
  readonly path: string;
  readonly rows: readonly {
    readonly workers: number;
    readonly repliesPerSecond: number;
    readonly toOneWorker: number;
    readonly targetCpuPercent: number;
  }[];
}

export function workerScaling(servers: readonly ServerTarget[], closed: readonly RoundResult[]): WorkerScaling[] {
  const plain = servers.filter((server) => server.variant === undefined);
  const paths = [...new Set(plain.map((server) => server.path))];
  return paths.flatMap((path) => {
    const byWorkers = plain.filter((server) => server.path === path).sort((a, b) => a.workers - b.workers);
    const one = byWorkers.find((server) => server.workers === 1);
    if (byWorkers.length < 2 || one === undefined) return [];
    const base = summarizeTarget(one.name, closed).repliesPerSecond;
    return [
      {
        path,
        rows: byWorkers.map((server) => {
          const summary = summarizeTarget(server.name, closed);
          return {
            workers: server.workers,
            repliesPerSecond: summary.repliesPerSecond,
            toOneWorker: summary.repliesPerSecond / base,
            targetCpuPercent: summary.targetCpuPercent,
          };
        }),
      },
    ];
  });
}

/** A target at or above this share of one core is saturated: its own CPU, not the generator, sets its rate. */
export const SATURATED_TARGET_CPU_PERCENT = 90;

/** The generator "drives a faster target much higher" when the C echo answers at least this multiple of the naive echo. */
export const CALIBRATION_MIN_HEADROOM = 1.5;

/** Whether the generator could be what limits the closed-loop rates, and the evidence either way. */
export interface BottleneckVerdict {
  /** The naive echo's and every server's median CPU are at least SATURATED_TARGET_CPU_PERCENT of a core. */
  readonly targetsSaturated: boolean;
  /** The generator spends clearly less CPU per reply than the cheapest target. */
  readonly generatorCheaper: boolean;
  readonly generatorUsPerReply: number;
  readonly cheapestTargetUsPerReply: number;
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
  servers: readonly TargetSummary[],
  mmsgEcho?: TargetSummary,
): BottleneckVerdict {
  const nodeTargets = [echo, ...servers];
  const targetsSaturated = nodeTargets.every((t) => t.targetCpuPercent >= SATURATED_TARGET_CPU_PERCENT);
  const generatorUsPerReply = Math.max(...nodeTargets.map((t) => t.generatorUsPerReply));
  const cheapestTargetUsPerReply = Math.min(...nodeTargets.map((t) => t.targetUsPerReply));
  const generatorCheaper = generatorUsPerReply <= GENERATOR_HEADROOM_FRACTION * cheapestTargetUsPerReply;
  const calibrationHeadroom =
    mmsgEcho === undefined || !(echo.repliesPerSecond > 0)
      ? undefined
      : mmsgEcho.repliesPerSecond / echo.repliesPerSecond;
  const drivesFasterTarget = calibrationHeadroom !== undefined && calibrationHeadroom >= CALIBRATION_MIN_HEADROOM;
  return {
    targetsSaturated,
    generatorCheaper,
    generatorUsPerReply,
    cheapestTargetUsPerReply,
    calibrationHeadroom,
    drivesFasterTarget,
    generatorNotBottleneck: (targetsSaturated && generatorCheaper) || drivesFasterTarget,
  };
}
