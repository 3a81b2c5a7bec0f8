// Renders a finished bench as tables for people; `--json` prints the same BenchReport as it is.
import type { BenchOptions } from './cli';
import type { MachineInfo } from './machine';
import type { RecvBufferSweep } from './recv-buffer-sweep';
import type { GeneratorKind, RunResult } from './run-result';
import {
  CALIBRATION_MIN_HEADROOM,
  SATURATED_TARGET_CPU_PERCENT,
  cpuUsPerReply,
  isNoisy,
  otherCpuPercent,
  type BottleneckVerdict,
  type Comparison,
  type RoundResult,
  type TargetSummary,
} from './summary';

export interface BenchReport {
  readonly machine: MachineInfo;
  readonly options: BenchOptions;
  /** The generator that ran (options.generator with 'auto' resolved). */
  readonly generator: GeneratorKind;
  readonly closedLoop: {
    readonly runs: readonly RoundResult[];
    readonly echo: TargetSummary;
    readonly server: TargetSummary;
    readonly comparison: Comparison;
    readonly bottleneck: BottleneckVerdict;
    /** server / echo replies/s of each quiet round (see roundRatios). */
    readonly roundRatios: readonly number[];
  };
  readonly openLoop: {
    readonly rate: number;
    /** Where the rate came from: --rate, or half the server's median closed-loop replies/s. */
    readonly rateSource: 'flag' | 'half-server-saturation';
    readonly runs: readonly RunResult[];
  };
  /** Unless --no-calibrate: the generator against the C echo, and that rate over the naive echo's. */
  readonly calibration:
    | {
        readonly mmsgEcho: TargetSummary;
        readonly headroom: number;
      }
    | undefined;
  /** With --recv-buffers: loss and latency past capacity for each receive buffer size. */
  readonly recvBufferSweep: RecvBufferSweep | undefined;
}

const int = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-');
const fixed =
  (digits: number) =>
  (value: number): string =>
    Number.isFinite(value) ? value.toFixed(digits) : '-';
const whole = fixed(0);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function closedLoopTable(report: BenchReport): string {
  const { runs, echo, server } = report.closedLoop;
  const summaries = report.calibration === undefined ? [echo, server] : [echo, server, report.calibration.mmsgEcho];
  const runRows = runs.map((run) => [
    `${run.round}${run.noisy ? ' noisy' : ''}`,
    run.target,
    int(run.repliesPerSecond),
    int(run.sent),
    int(run.lost),
    fixed(3)(run.lossPercent),
    whole(run.rttUs.p50),
    whole(run.rttUs.p99),
    whole(run.cpuPercent.generator),
    whole(run.cpuPercent.target),
    whole(otherCpuPercent(run)),
    whole(run.cpuPercent.steal),
    fixed(1)(cpuUsPerReply(run.cpuPercent.generator, run.repliesPerSecond)),
    fixed(1)(cpuUsPerReply(run.cpuPercent.target, run.repliesPerSecond)),
  ]);
  const medianRows = summaries.map((summary) => [
    `median of ${summary.runsUsed}`,
    summary.target,
    int(summary.repliesPerSecond),
    int(summary.sent),
    int(summary.lost),
    fixed(3)(summary.sent === 0 ? 0 : (summary.lost / summary.sent) * 100),
    whole(summary.rttP50Us),
    whole(summary.rttP99Us),
    whole(summary.generatorCpuPercent),
    whole(summary.targetCpuPercent),
    '',
    '',
    fixed(1)(summary.generatorUsPerReply),
    fixed(1)(summary.targetUsPerReply),
  ]);
  return table(
    [
      'round',
      'target',
      'replies/s',
      'sent',
      'lost',
      'loss %',
      'p50 µs',
      'p99 µs',
      'gen CPU%',
      'target CPU%',
      'other CPU%',
      'steal%',
      'gen µs/reply',
      'target µs/reply',
    ],
    [...runRows, ...medianRows],
  );
}

function openLoopTable(report: BenchReport): string {
  const rows = report.openLoop.runs.map((run) => [
    run.target,
    isNoisy(run) ? 'noisy' : '',
    int(run.sent / run.seconds),
    int(run.repliesPerSecond),
    int(run.sent),
    int(run.lost),
    fixed(3)(run.lossPercent),
    whole(run.rttUs.p50),
    whole(run.rttUs.p90),
    whole(run.rttUs.p99),
    whole(run.rttUs.p999),
    whole(run.rttUs.max),
    whole(run.cpuPercent.generator),
    whole(run.cpuPercent.target),
    whole(otherCpuPercent(run)),
    whole(run.cpuPercent.steal),
  ]);
  return table(
    [
      'target',
      '',
      'sent/s',
      'replies/s',
      'sent',
      'lost',
      'loss %',
      'p50 µs',
      'p90 µs',
      'p99 µs',
      'p99.9 µs',
      'max µs',
      'gen CPU%',
      'target CPU%',
      'other CPU%',
      'steal%',
    ],
    rows,
  );
}

const kib = (bytes: number): string => `${int(bytes / 1024)} KiB`;

function recvBufferLines(report: BenchReport): string[] {
  const sweep = report.recvBufferSweep;
  if (sweep === undefined) return [];
  const rows = sweep.rows.map(({ requestedBytes, grantedBytes, offeredPerSecond, result }) => [
    kib(requestedBytes),
    kib(grantedBytes),
    int(offeredPerSecond),
    int(result.repliesPerSecond),
    fixed(1)(result.lossPercent),
    fixed(1)(result.rttUs.p50 / 1000),
    fixed(1)(result.rttUs.p99 / 1000),
    whole(result.cpuPercent.target),
  ]);
  return [
    `overload: ${int(sweep.rate)} requests/s (${report.options.overloadFactor}× the server's closed-loop rate) per ` +
      `RECV_BUFFER_BYTES; granted = 2 × min(request, net.core.rmem_max = ${sweep.rmemMaxBytes ?? 'unknown'})`,
    table(['RECV_BUFFER_BYTES', 'granted', 'sent/s', 'replies/s', 'loss %', 'p50 ms', 'p99 ms', 'target CPU%'], rows),
    '',
  ];
}

export function renderText(report: BenchReport): string {
  const { machine, options, openLoop } = report;
  return [
    `machine: ${machine.cpus} CPUs, ${machine.cpuModel}, Node ${machine.node}, Linux ${machine.kernel}, ` +
      `load ${machine.loadAverage1m.toFixed(2)} at start, ${machine.date}`,
    '',
    `generator: ${GENERATOR_TEXT[report.generator]}` +
      (report.generator === 'c'
        ? `; in the closed loop it ${report.options.spin ? 'polls for replies (--spin)' : 'blocks until replies arrive'}`
        : ''),
    '',
    `closed loop: ${options.window} requests in flight, ${8 + options.payloadBytes}-byte datagrams, ` +
      `${options.warmupS} s warm-up + ${options.durationS} s measured per run, ${options.rounds} round(s); CPU in % of one core`,
    closedLoopTable(report),
    '',
    `open loop: ${int(openLoop.rate)} requests/s (${openLoop.rateSource === 'flag' ? '--rate' : "half the server's median closed-loop rate"}), ` +
      `${report.generator === 'c' ? 'each sent at its scheduled time' : 'sent in 1 ms batches'}, ` +
      `${options.warmupS} s warm-up + ${options.durationS} s measured`,
    openLoopTable(report),
    '',
    ...recvBufferLines(report),
    ...footerLines(report),
  ].join('\n');
}

/** The verdict lines, last in the text output and on stderr with --json. */
export function footerLines(report: BenchReport): string[] {
  const calibration = calibrationLine(report);
  return [
    generatorLine(report),
    ...(calibration === '' ? [] : [calibration]),
    bottleneckLine(report),
    efficiencyLine(report),
    ratioLine(report),
  ];
}

const GENERATOR_TEXT = {
  c: 'C (tools/bench/native/mmsg-load.c: one connected socket, sendmmsg/recvmmsg batches, its own process)',
  node: 'Node (tools/bench/src/node-generator.ts: dgram, one send and one message event per request, in the bench process)',
} as const;

const VERDICT_TEXT = {
  headroom: 'clearly less than the targets: they run out of core first',
  marginal: 'less than the targets, but by under 20%: the faster target may be held back a little',
  limiting: 'NOT less than the targets: the generator may be what limits the rates above',
} as const;

function generatorLine(report: BenchReport): string {
  const { echo, server, comparison } = report.closedLoop;
  return (
    `generator: ${whole(Math.max(echo.generatorCpuPercent, server.generatorCpuPercent))}% of a core, ` +
    `${fixed(1)(comparison.generatorUsPerReply)} µs CPU per reply; echo ${fixed(1)(echo.targetUsPerReply)} µs, ` +
    `server ${fixed(1)(server.targetUsPerReply)} µs — ${VERDICT_TEXT[comparison.generator]}`
  );
}

/** Empty with --no-calibrate (or without a C compiler). */
function calibrationLine(report: BenchReport): string {
  if (report.calibration === undefined) return '';
  const { mmsgEcho, headroom } = report.calibration;
  return (
    `calibration: against the C echo the generator reached ${int(mmsgEcho.repliesPerSecond)} replies/s ` +
    `(${fixed(2)(headroom)}× the naive echo's), itself at ${whole(mmsgEcho.generatorCpuPercent)}% of a core ` +
    `while the C echo used ${whole(mmsgEcho.targetCpuPercent)}%`
  );
}

function bottleneckLine(report: BenchReport): string {
  const { echo, server, bottleneck } = report.closedLoop;
  const evidence = [
    `targets at ${whole(echo.targetCpuPercent)}% (echo) and ${whole(server.targetCpuPercent)}% (server) of a core, ` +
      `${bottleneck.targetsSaturated ? '' : 'not '}saturated (≥ ${SATURATED_TARGET_CPU_PERCENT}%)`,
    `generator ${bottleneck.generatorCheaper ? 'clearly cheaper' : 'not clearly cheaper'} per reply than either target`,
    bottleneck.calibrationHeadroom === undefined
      ? 'no calibration run'
      : `it drove the C echo to ${fixed(2)(bottleneck.calibrationHeadroom)}× the naive echo's rate ` +
        `(${bottleneck.drivesFasterTarget ? '≥' : '<'} ${CALIBRATION_MIN_HEADROOM}×)`,
  ];
  return (
    `bottleneck: ${bottleneck.generatorNotBottleneck ? 'the generator is NOT the bottleneck' : 'the generator MAY be the bottleneck'}` +
    ` — ${evidence.join('; ')}`
  );
}

function efficiencyLine(report: BenchReport): string {
  const { echo, server, comparison } = report.closedLoop;
  return (
    `replies per target CPU-second: server ${int(server.repliesPerTargetCpuSecond)}, echo ${int(echo.repliesPerTargetCpuSecond)}, ` +
    `ratio ${fixed(3)(comparison.cpuEfficiencyRatio)}`
  );
}

function ratioLine(report: BenchReport): string {
  const { echo, server, comparison, roundRatios } = report.closedLoop;
  const spread =
    roundRatios.length === 0
      ? ''
      : `; per round ${Math.min(...roundRatios).toFixed(2)}–${Math.max(...roundRatios).toFixed(2)} over ${roundRatios.length}`;
  return (
    `ratio server/echo replies/s (median of ${server.runsUsed} and ${echo.runsUsed} runs): ${fixed(3)(comparison.ratio)} ` +
    `(server ${int(server.repliesPerSecond)}/s, echo ${int(echo.repliesPerSecond)}/s; ` +
    `target ≥ ${comparison.targetRatio.toFixed(2)}: ${comparison.met ? 'met' : 'NOT met'}${spread})`
  );
}
