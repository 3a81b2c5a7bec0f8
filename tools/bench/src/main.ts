// nx run udp-server:bench — see docs/benchmarks.md for how to run it and how to read the output.
import { existsSync } from 'node:fs';
import { runCGenerator, type ClosedOrOpenLoad } from './c-generator';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './cli';
import { freeTcpPort, startTarget, type TargetProcess } from './child-process';
import { describeMachine } from './machine';
import { CompilerMissingError, MMSG_ECHO, MMSG_LOAD, compileNative } from './native-build';
import { runNodeGenerator } from './node-generator';
import { runRecvBufferSweep, type RecvBufferSweep } from './recv-buffer-sweep';
import { footerLines, renderText, type BenchReport } from './report';
import type { GeneratorKind, RunResult, RunTarget } from './run-result';
import { startScraper } from './scraper';
import {
  checkIssueTargets,
  checkMinRatios,
  compareServers,
  isNoisy,
  judgeGenerator,
  otherCpuPercent,
  summarizeTarget,
  workerScaling,
  type Memory,
  type RoundResult,
} from './summary';
import {
  ECHO,
  ECHO_REPLY_TYPE,
  MMSG_ECHO_TARGET,
  SERVER_REPLY_TYPE,
  serverEnv,
  serverNodeArgs,
  serverTargets,
  type ServerTarget,
} from './targets';
import { VARIANTS, type Variant } from './variants';

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

/** One closed-loop (window) or open-loop (rate) run with the chosen generator. */
type RunOne = (target: RunTarget, load: ClosedOrOpenLoad) => Promise<RunResult>;

function generatorRunner(binaries: NativeBinaries, options: BenchOptions): RunOne {
  const timing = {
    payloadBytes: options.payloadBytes,
    warmupMs: options.warmupS * 1000,
    durationMs: options.durationS * 1000,
    timeoutMs: options.timeoutMs,
    maxRequests: options.maxRequests,
  };
  const { mmsgLoad } = binaries;
  if (mmsgLoad !== undefined) {
    return (target, load) =>
      runCGenerator({
        ...timing,
        binary: mmsgLoad,
        target,
        load,
        spin: options.spin,
        flows: options.flows,
        cpus: options.generatorCpus,
      });
  }
  // One preallocated store for every Node run's RTT samples.
  const samples = new Float32Array(timing.maxRequests);
  return (target, load) => runNodeGenerator({ ...timing, samples, target, load });
}

/** A target process and, for a server, what it is and where its metrics port is. */
interface Started {
  readonly process: TargetProcess;
  readonly server: ServerTarget | undefined;
  readonly metricsPort: number | undefined;
}

async function startServer(
  options: BenchOptions,
  target: ServerTarget,
  extraEnv: Record<string, string> = {},
): Promise<Started> {
  const metricsPort = await freeTcpPort();
  const child = await startTarget({
    name: target.name,
    command: process.execPath,
    args: [...serverNodeArgs(target), options.serverBundle],
    env: { ...serverEnv(target, metricsPort), ...extraEnv },
    replyType: SERVER_REPLY_TYPE,
    cpus: options.targetCpus,
  });
  return { process: child, server: target, metricsPort };
}

/** Starts the naive echo, every server target and (when it compiled) the C echo; the caller stops them. */
async function startTargets(
  options: BenchOptions,
  servers: readonly ServerTarget[],
  mmsgEcho: string | undefined,
  started: Started[],
): Promise<void> {
  const echo = await startTarget({
    name: ECHO,
    command: process.execPath,
    args: [options.echoBundle],
    env: {},
    replyType: ECHO_REPLY_TYPE,
    cpus: options.targetCpus,
  });
  started.push({ process: echo, server: undefined, metricsPort: undefined });
  for (const server of servers) started.push(await startServer(options, server));
  if (mmsgEcho === undefined) return;
  const mmsg = await startTarget({
    name: MMSG_ECHO_TARGET,
    command: mmsgEcho,
    args: [],
    env: {},
    replyType: ECHO_REPLY_TYPE,
    cpus: options.targetCpus,
  });
  started.push({ process: mmsg, server: undefined, metricsPort: undefined });
}

/** One run of one target, with /metrics scraped meanwhile when its variant says so. */
async function runTarget(run: RunOne, target: Started, load: ClosedOrOpenLoad): Promise<RunResult> {
  const variant: Variant | undefined =
    target.server?.variant === undefined ? undefined : VARIANTS[target.server.variant];
  const intervalMs = variant?.scrapeIntervalMs;
  const scraper =
    intervalMs === undefined || target.metricsPort === undefined
      ? undefined
      : startScraper(target.metricsPort, intervalMs);
  try {
    return await run(target.process, load);
  } finally {
    scraper?.stop();
  }
}

async function bench(options: BenchOptions): Promise<BenchReport> {
  const machine = describeMachine();
  const binaries = buildNative(options);
  const run = generatorRunner(binaries, options);
  const servers = serverTargets(options.paths, options.workers, options.variants);
  const started: Started[] = [];
  try {
    await startTargets(options, servers, binaries.mmsgEcho, started);
    progress(
      `generator ${binaries.generator} (${options.flows} flow${options.flows > 1 ? 's' : ''}); ` +
        started.map(({ process: p }) => `${p.name} pid ${p.pid} port ${p.port}`).join('; '),
    );

    // Interleaved, so that drift in the machine's load falls on every target alike: each round runs every
    // target closed loop, then every target open loop.
    const closed: RoundResult[] = [];
    const open: RoundResult[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of started) {
        const result = await runTarget(run, target, { window: options.window });
        closed.push({ round, noisy: isNoisy(result), ...result });
        progress(`closed loop ${round}/${options.rounds} ${target.process.name}: ${describeRun(result)}`);
      }
      for (const target of started) {
        const result = await runTarget(run, target, { rate: options.rate });
        open.push({ round, noisy: isNoisy(result), ...result });
        progress(
          `open loop ${options.rate}/s ${round}/${options.rounds} ${target.process.name}: ${describeRun(result)}`,
        );
      }
    }
    const memory = new Map<string, Memory>();
    for (const { process: p } of started) {
      const use = p.memory();
      if (use !== undefined) memory.set(p.name, use);
    }

    let recvBufferSweep: RecvBufferSweep | undefined;
    const first = servers[0];
    if (options.recvBuffers.length > 0 && first !== undefined) {
      // The section's servers bind their own ports; the running ones are not needed for it.
      const overloadRate = Math.round(summarizeTarget(first.name, closed).repliesPerSecond * options.overloadFactor);
      recvBufferSweep = await runRecvBufferSweep(
        options.recvBuffers,
        overloadRate,
        async (bytes) => (await startServer(options, first, { RECV_BUFFER_BYTES: String(bytes) })).process,
        run,
        progress,
      );
    }

    const names = started.map(({ process: p }) => p.name);
    const closedSummaries = names.map((name) => summarizeTarget(name, closed));
    const openSummaries = names.map((name) => summarizeTarget(name, open));
    const echo = closedSummaries.find((s) => s.target === ECHO)!;
    const mmsg = closedSummaries.find((s) => s.target === MMSG_ECHO_TARGET);
    const comparisons = compareServers(servers, closed, open, memory);
    return {
      machine,
      options,
      generator: binaries.generator,
      servers,
      closedLoop: { runs: closed, summaries: closedSummaries },
      openLoop: { rate: options.rate, runs: open, summaries: openSummaries },
      memory: Object.fromEntries(memory),
      comparisons,
      issueTargets: checkIssueTargets(comparisons, open),
      minRatios: checkMinRatios(options.minRatios, closed),
      workerScaling: workerScaling(servers, closed),
      bottleneck: judgeGenerator(
        echo,
        closedSummaries.filter((s) => servers.some((server) => server.name === s.target)),
        mmsg,
      ),
      recvBufferSweep,
    };
  } finally {
    for (const { process: p } of started) {
      const code = await p.stop();
      if (code !== 0) progress(`${p.name} exited with code ${code}`);
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
  // --min-ratio: a ratio below its minimum fails the run, so CI or a script can hold the line.
  if (report.minRatios.some((check) => !check.met)) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
