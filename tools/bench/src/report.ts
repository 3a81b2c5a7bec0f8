// Renders a finished bench as tables for people; `--json` prints the same BenchReport as it is.
import type { BenchOptions } from './cli';
import type { MachineInfo } from './machine';
import type { RecvBufferSweep } from './recv-buffer-sweep';
import type { GeneratorKind } from './run-result';
import {
  CALIBRATION_MIN_HEADROOM,
  SATURATED_TARGET_CPU_PERCENT,
  cpuUsPerReply,
  otherCpuPercent,
  type BottleneckVerdict,
  type Memory,
  type MinRatioCheck,
  type Ratio,
  type RoundResult,
  type ServerComparison,
  type TargetCheck,
  type TargetSummary,
  type WorkerScaling,
} from './summary';
import { ECHO, MMSG_ECHO_TARGET, serverTargetName, type ServerTarget } from './targets';
import { VARIANTS } from './variants';

export interface BenchReport {
  readonly machine: MachineInfo;
  readonly options: BenchOptions;
  /** The generator that ran (options.generator with 'auto' resolved). */
  readonly generator: GeneratorKind;
  readonly servers: readonly ServerTarget[];
  readonly closedLoop: { readonly runs: readonly RoundResult[]; readonly summaries: readonly TargetSummary[] };
  readonly openLoop: {
    readonly rate: number;
    readonly runs: readonly RoundResult[];
    readonly summaries: readonly TargetSummary[];
  };
  /** Each target's memory at the end of the rounds, by name. */
  readonly memory: Readonly<Record<string, Memory>>;
  readonly comparisons: readonly ServerComparison[];
  readonly issueTargets: readonly TargetCheck[];
  readonly minRatios: readonly MinRatioCheck[];
  readonly workerScaling: readonly WorkerScaling[];
  readonly bottleneck: BottleneckVerdict;
  /** With --recv-buffers: loss and latency past capacity for each receive buffer size. */
  readonly recvBufferSweep: RecvBufferSweep | undefined;
}

const int = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-');
const fixed =
  (digits: number) =>
  (value: number): string =>
    Number.isFinite(value) ? value.toFixed(digits) : '-';
const whole = fixed(0);
const mb = (bytes: number | undefined): string => (bytes === undefined ? '-' : fixed(1)(bytes / 1e6));

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

const RUN_HEADER = [
  'round',
  'target',
  'replies/s',
  'sent',
  'lost',
  'p50 µs',
  'p99 µs',
  'p99.9 µs',
  'gen CPU%',
  'target CPU%',
  'other CPU%',
  'steal%',
  'gen µs/reply',
  'target µs/reply',
];

/** Every run, then the medians per target (quiet runs only when a target has any). */
function runsTable(runs: readonly RoundResult[], summaries: readonly TargetSummary[]): string {
  const runRows = runs.map((run) => [
    `${run.round}${run.noisy ? ' noisy' : ''}`,
    run.target,
    int(run.repliesPerSecond),
    int(run.sent),
    int(run.lost),
    whole(run.rttUs.p50),
    whole(run.rttUs.p99),
    whole(run.rttUs.p999),
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
    whole(summary.rttP50Us),
    whole(summary.rttP99Us),
    whole(summary.rttP999Us),
    whole(summary.generatorCpuPercent),
    whole(summary.targetCpuPercent),
    '',
    '',
    fixed(1)(summary.generatorUsPerReply),
    fixed(1)(summary.targetUsPerReply),
  ]);
  return table(RUN_HEADER, [...runRows, ...medianRows]);
}

const ratioText = (ratio: Ratio | undefined): string => (ratio === undefined ? '-' : fixed(2)(ratio.value));
const spreadText = (ratio: Ratio | undefined): string =>
  ratio === undefined || ratio.perRound.length === 0
    ? '-'
    : `${fixed(2)(Math.min(...ratio.perRound))}–${fixed(2)(Math.max(...ratio.perRound))}`;

/** Each server against the echoes: the figures the issue's targets are about. */
function comparisonTable(report: BenchReport): string {
  const closed = new Map(report.closedLoop.summaries.map((s) => [s.target, s]));
  const open = new Map(report.openLoop.summaries.map((s) => [s.target, s]));
  const echoRows = [ECHO, MMSG_ECHO_TARGET]
    .filter((name) => closed.has(name))
    .map((name) => [
      name,
      '',
      int(closed.get(name)!.repliesPerSecond),
      name === ECHO ? '1.00' : fixed(2)(closed.get(name)!.repliesPerSecond / closed.get(ECHO)!.repliesPerSecond),
      '',
      name === MMSG_ECHO_TARGET ? '1.00' : '-',
      '',
      fixed(1)(closed.get(name)!.targetUsPerReply),
      whole(open.get(name)!.rttP50Us),
      whole(open.get(name)!.rttP99Us),
      name === ECHO ? '1.00' : '-',
      int(open.get(name)!.lost),
      mb(report.memory[name]?.peakRssBytes),
    ]);
  const serverRows = report.comparisons.map((comparison) => {
    const name = comparison.target.name;
    const variant = comparison.target.variant;
    const base = variant === undefined ? undefined : open.get(serverTargetName(comparison.target.path, 1));
    return [
      name,
      base === undefined ? '' : `p99 ${fixed(2)(open.get(name)!.rttP99Us / base.rttP99Us)}× ${base.target}'s`,
      int(closed.get(name)!.repliesPerSecond),
      ratioText(comparison.toEcho),
      spreadText(comparison.toEcho),
      ratioText(comparison.toMmsgEcho),
      spreadText(comparison.toMmsgEcho),
      fixed(1)(closed.get(name)!.targetUsPerReply),
      whole(open.get(name)!.rttP50Us),
      whole(open.get(name)!.rttP99Us),
      fixed(2)(comparison.p99ToEcho),
      int(open.get(name)!.lost),
      mb(report.memory[name]?.peakRssBytes),
    ];
  });
  return table(
    [
      'target',
      '',
      'replies/s',
      '× echo',
      'per round',
      '× mmsg-echo',
      'per round',
      'CPU µs/reply',
      'p50 µs',
      'p99 µs',
      'p99 × echo',
      'lost',
      'peak RSS MB',
    ],
    [...echoRows, ...serverRows],
  );
}

function scalingLines(report: BenchReport): string[] {
  return report.workerScaling.flatMap((scaling) => [
    `worker scaling, ${scaling.path}: ` +
      scaling.rows
        .map(
          (row) =>
            `${row.workers} worker${row.workers > 1 ? 's' : ''} ${int(row.repliesPerSecond)}/s (${fixed(2)(row.toOneWorker)}×, ` +
            `target ${whole(row.targetCpuPercent)}% of a core)`,
        )
        .join(', '),
  ]);
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
    `overload: ${int(sweep.rate)} requests/s (${report.options.overloadFactor}× ${report.servers[0]?.name}'s closed-loop rate) per ` +
      `RECV_BUFFER_BYTES; granted = 2 × min(request, net.core.rmem_max = ${sweep.rmemMaxBytes ?? 'unknown'})`,
    table(['RECV_BUFFER_BYTES', 'granted', 'sent/s', 'replies/s', 'loss %', 'p50 ms', 'p99 ms', 'target CPU%'], rows),
    '',
  ];
}

const GENERATOR_TEXT = {
  c: 'C (tools/bench/native/mmsg-load.c: connected sockets, sendmmsg/recvmmsg batches, its own process)',
  node: 'Node (tools/bench/src/node-generator.ts: dgram, one send and one message event per request, in the bench process)',
} as const;

export function renderText(report: BenchReport): string {
  const { machine, options } = report;
  const variants = report.servers.flatMap((server) =>
    server.variant === undefined ? [] : [`  ${server.name}: ${VARIANTS[server.variant].description}`],
  );
  return [
    `machine: ${machine.cpus} CPUs, ${machine.cpuModel}, Node ${machine.node}, Linux ${machine.kernel}, ` +
      `load ${machine.loadAverage1m.toFixed(2)} at start, ${machine.date}`,
    `generator: ${GENERATOR_TEXT[report.generator]}, ${options.flows} flow(s)` +
      (report.generator === 'c'
        ? `; in the closed loop it ${options.spin ? 'polls for replies (--spin)' : 'blocks until replies arrive'}`
        : ''),
    ...(options.generatorCpus === undefined && options.targetCpus === undefined
      ? []
      : [
          `pinned: generator on CPUs ${options.generatorCpus ?? 'any'}, targets on CPUs ${options.targetCpus ?? 'any'}`,
        ]),
    `targets: ${[ECHO, ...report.servers.map((s) => s.name), ...(report.comparisons.some((c) => c.toMmsgEcho) ? [MMSG_ECHO_TARGET] : [])].join(', ')}; ` +
      `${options.rounds} interleaved round(s), ${options.warmupS} s warm-up + ${options.durationS} s measured per run; CPU in % of one core`,
    ...(variants.length === 0 ? [] : ['variants (tail study):', ...variants]),
    '',
    `closed loop: ${options.window} requests in flight, ${8 + options.payloadBytes}-byte datagrams`,
    runsTable(report.closedLoop.runs, report.closedLoop.summaries),
    '',
    `open loop: ${int(report.openLoop.rate)} requests/s, ` +
      `${report.generator === 'c' ? 'each sent at its scheduled time' : 'sent in 1 ms batches'}`,
    runsTable(report.openLoop.runs, report.openLoop.summaries),
    '',
    'each server against the echoes (closed-loop replies/s and CPU; open-loop latency and loss; peak RSS over the whole bench)',
    comparisonTable(report),
    '',
    ...scalingLines(report),
    ...recvBufferLines(report),
    ...footerLines(report),
  ].join('\n');
}

const VERDICT_TEXT = {
  headroom: 'clearly less than every target: they run out of core first',
  other: 'NOT clearly less than the cheapest target: only the calibration can clear it',
} as const;

function generatorLine(report: BenchReport): string {
  const { bottleneck } = report;
  return (
    `generator: ${fixed(1)(bottleneck.generatorUsPerReply)} µs CPU per reply at most, the cheapest target ` +
    `${fixed(1)(bottleneck.cheapestTargetUsPerReply)} µs — ${VERDICT_TEXT[bottleneck.generatorCheaper ? 'headroom' : 'other']}`
  );
}

function bottleneckLine(report: BenchReport): string {
  const { bottleneck } = report;
  const evidence = [
    `the Node targets ${bottleneck.targetsSaturated ? '' : 'not all '}saturated (≥ ${SATURATED_TARGET_CPU_PERCENT}% of a core)`,
    `generator ${bottleneck.generatorCheaper ? 'clearly cheaper' : 'not clearly cheaper'} per reply than each`,
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

/** The verdict lines, last in the text output and on stderr with --json. */
export function footerLines(report: BenchReport): string[] {
  return [
    generatorLine(report),
    bottleneckLine(report),
    ...report.issueTargets.map(
      (check) => `target: ${check.what}: ${check.measured} — ${check.met ? 'met' : 'NOT met'}`,
    ),
    ...report.minRatios.map(
      (check) =>
        `--min-ratio ${check.target}/${check.baseline} ≥ ${check.min}: ` +
        (check.actual === undefined
          ? 'NOT met (not measured in this run)'
          : `${fixed(3)(check.actual)} — ${check.met ? 'met' : 'NOT met'}`),
    ),
  ];
}
