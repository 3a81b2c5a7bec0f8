// nx run udp-server:bench — see docs/benchmarks.md for how to run it and how to read the output.
import { existsSync } from 'node:fs';
import { MessageType } from '@ricochet/protocol';
import { runCGenerator, type ClosedOrOpenLoad } from './c-generator';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './cli';
import { startTarget, type TargetProcess } from './child-process';
import { describeMachine } from './machine';
import { CompilerMissingError, MMSG_ECHO, MMSG_LOAD, compileNative } from './native-build';
import { runNodeGenerator } from './node-generator';
import { runRecvBufferSweep, type RecvBufferSweep } from './recv-buffer-sweep';
import { footerLines, renderText, type BenchReport } from './report';
import type { GeneratorKind, RunResult, RunTarget } from './run-result';
import {
  compare,
  isNoisy,
  judgeGenerator,
  otherCpuPercent,
  roundRatios,
  summarizeTarget,
  type RoundResult,
} from './summary';

const EXIT_USAGE = 64;

function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

function describeRun(run: RunResult): string {
  return (
    `${Math.round(run.repliesPerSecond).toLocaleString('en-US')} replies/s, lost ${run.lost}/${run.sent}, ` +
    `p50 ${run.rttUs.p50.toFixed(0)} µs, p99 ${run.rttUs.p99.toFixed(0)} µs, ` +
    `CPU gen ${run.cpuPercent.generator.toFixed(0)}% target ${run.cpuPercent.target.toFixed(0)}% ` +
    `other ${otherCpuPercent(run).toFixed(0)}% steal ${run.cpuPercent.steal.toFixed(0)}%`
  );
}

/** The programs compiled for this run: the C generator (undefined: use the Node one) and the C echo. */
interface NativeBinaries {
  readonly generator: GeneratorKind;
  readonly mmsgLoad: string | undefined;
  readonly mmsgEcho: string | undefined;
}

/**
 * Compiles the C programs once per bench run. `--generator c` with no compiler is an error; by default the
 * bench falls back to the Node generator and says so. Calibration is skipped, with a note, when the C echo
 * cannot be built.
 */
function buildNative(options: BenchOptions): NativeBinaries {
  let mmsgLoad: string | undefined;
  if (options.generator !== 'node') {
    try {
      mmsgLoad = compileNative(MMSG_LOAD);
    } catch (err) {
      if (options.generator === 'c') throw err;
      progress(
        `bench: falling back to --generator node${options.spin ? ' (without --spin)' : ''}: ` +
          (err as Error).message.split('\n')[0],
      );
    }
  }
  let mmsgEcho: string | undefined;
  if (options.calibrate) {
    try {
      mmsgEcho = compileNative(MMSG_ECHO);
    } catch (err) {
      progress(`calibration skipped: could not compile the C echo (${(err as Error).message.split('\n')[0]})`);
    }
  }
  return { generator: mmsgLoad === undefined ? 'node' : 'c', mmsgLoad, mmsgEcho };
}

interface RunTiming {
  readonly payloadBytes: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  readonly maxRequests: number;
}

/** One closed-loop (window) or open-loop (rate) run with the chosen generator. */
type RunOne = (target: RunTarget, load: ClosedOrOpenLoad) => Promise<RunResult>;

function generatorRunner(binaries: NativeBinaries, timing: RunTiming, spin: boolean): RunOne {
  const { mmsgLoad } = binaries;
  if (mmsgLoad !== undefined) {
    return (target, load) => runCGenerator({ ...timing, binary: mmsgLoad, target, load, spin });
  }
  // One preallocated store for every Node run's RTT samples.
  const samples = new Float32Array(timing.maxRequests);
  return (target, load) => runNodeGenerator({ ...timing, samples, target, load });
}

/**
 * The server with every check on, as deployed; the metrics port on loopback and a free port, so that runs cannot
 * collide. The reply limits too: loopback is exempt by default, which would skip them, so nothing is exempt here
 * and the rates are set too high to limit: each datagram pays for both bucket lookups but is never dropped.
 */
const SERVER_ENV = {
  DRAIN_SECONDS: '0',
  LOG_LEVEL: 'warn',
  METRICS_HOST: '127.0.0.1',
  METRICS_PORT: '0',
  RATE_LIMIT_EXEMPT: 'none',
  RATE_LIMIT_SOURCE_RATE: '1000000',
  RATE_LIMIT_SOURCE_BURST: '1000000',
  RATE_LIMIT_PREFIX_RATE: '1000000',
  RATE_LIMIT_PREFIX_BURST: '1000000',
} as const;

function startServer(options: BenchOptions, env: Readonly<Record<string, string>>): Promise<TargetProcess> {
  return startTarget({
    name: 'server',
    command: process.execPath,
    args: [options.serverBundle],
    env: { ...SERVER_ENV, ...env },
    replyType: MessageType.PONG,
  });
}

/** Starts the echo, the server and (unless --no-calibrate, when it compiled) the C echo; the caller stops them. */
async function startTargets(
  options: BenchOptions,
  mmsgEcho: string | undefined,
  started: TargetProcess[],
): Promise<void> {
  started.push(
    await startTarget({
      name: 'echo',
      command: process.execPath,
      args: [options.echoBundle],
      env: {},
      // The echo returns the PING as it came.
      replyType: MessageType.PING,
    }),
  );
  started.push(await startServer(options, {}));
  if (mmsgEcho === undefined) return;
  started.push(
    await startTarget({ name: 'mmsg-echo', command: mmsgEcho, args: [], env: {}, replyType: MessageType.PING }),
  );
}

async function bench(options: BenchOptions): Promise<BenchReport> {
  const machine = describeMachine();
  const binaries = buildNative(options);
  const run = generatorRunner(
    binaries,
    {
      payloadBytes: options.payloadBytes,
      warmupMs: options.warmupS * 1000,
      durationMs: options.durationS * 1000,
      timeoutMs: options.timeoutMs,
      maxRequests: options.maxRequests,
    },
    options.spin,
  );
  const targets: TargetProcess[] = [];
  try {
    await startTargets(options, binaries.mmsgEcho, targets);
    progress(
      `generator ${binaries.generator}; ` +
        targets.map((target) => `${target.name} pid ${target.pid} port ${target.port}`).join('; '),
    );

    // Interleaved, so that drift in the machine's load falls on every target alike.
    const runs: RoundResult[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of targets) {
        const result = await run(target, { window: options.window });
        runs.push({ round, noisy: isNoisy(result), ...result });
        progress(`closed loop ${round}/${options.rounds} ${target.name}: ${describeRun(result)}`);
      }
    }
    const echoSummary = summarizeTarget('echo', runs);
    const serverSummary = summarizeTarget('server', runs);
    const calibrated = targets.some((target) => target.name === 'mmsg-echo');
    const mmsgSummary = calibrated ? summarizeTarget('mmsg-echo', runs) : undefined;

    const rate = options.rate ?? Math.max(1, Math.round(serverSummary.repliesPerSecond / 2));
    const openRuns: RunResult[] = [];
    for (const target of targets.filter((candidate) => candidate.name !== 'mmsg-echo')) {
      const result = await run(target, { rate });
      openRuns.push(result);
      progress(`open loop ${rate}/s ${target.name}: ${describeRun(result)}`);
    }

    const comparison = compare(echoSummary, serverSummary);
    let recvBufferSweep: RecvBufferSweep | undefined;
    if (options.recvBuffers.length > 0) {
      // The section's servers bind their own ports; the closed-loop server is not needed for it.
      const overloadRate = Math.round(serverSummary.repliesPerSecond * options.overloadFactor);
      recvBufferSweep = await runRecvBufferSweep(
        options.recvBuffers,
        overloadRate,
        (bytes) => startServer(options, { RECV_BUFFER_BYTES: String(bytes) }),
        run,
        progress,
      );
    }
    return {
      machine,
      options,
      generator: binaries.generator,
      closedLoop: {
        runs,
        echo: echoSummary,
        server: serverSummary,
        comparison,
        bottleneck: judgeGenerator(echoSummary, serverSummary, comparison, mmsgSummary),
        roundRatios: roundRatios(runs),
      },
      openLoop: { rate, rateSource: options.rate === undefined ? 'half-server-saturation' : 'flag', runs: openRuns },
      calibration:
        mmsgSummary === undefined
          ? undefined
          : { mmsgEcho: mmsgSummary, headroom: mmsgSummary.repliesPerSecond / echoSummary.repliesPerSecond },
      recvBufferSweep,
    };
  } finally {
    for (const target of targets) {
      const code = await target.stop();
      if (code !== 0) progress(`${target.name} exited with code ${code}`);
    }
  }
}

async function main(argv: readonly string[]): Promise<void> {
  let options: BenchOptions | undefined;
  try {
    options = parseBenchArgs(argv);
  } catch (err) {
    // parseArgs throws TypeErrors coded ERR_PARSE_ARGS_* for unknown or malformed flags.
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!(err instanceof UsageError) && !code.startsWith('ERR_PARSE_ARGS')) throw err;
    process.stderr.write(`bench: ${(err as Error).message}\n\n${USAGE}`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  if (options === undefined) {
    process.stdout.write(USAGE);
    return;
  }
  for (const bundle of [options.serverBundle, options.echoBundle]) {
    if (!existsSync(bundle)) {
      process.stderr.write(`bench: ${bundle} does not exist; run \`npx nx run udp-server:bench\`, which builds it\n`);
      process.exitCode = 1;
      return;
    }
  }
  let report: BenchReport;
  try {
    report = await bench(options);
  } catch (err) {
    if (!(err instanceof CompilerMissingError)) throw err;
    process.stderr.write(`bench: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`${footerLines(report).join('\n')}\n`);
  } else {
    process.stdout.write(`${renderText(report)}\n`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
