// nx run udp-server:bench — see docs/benchmarks.md for how to run it and how to read the output.
import { existsSync } from 'node:fs';
import { MessageType } from '@ricochet/protocol';
import { buildMmsgEcho } from './calibration';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './cli';
import { startTarget, type TargetProcess } from './child-process';
import { runClosedLoop } from './load-generator';
import { describeMachine } from './machine';
import { runOpenLoop } from './open-loop';
import { footerLines, renderText, type BenchReport } from './report';
import type { RunResult } from './run-result';
import { compare, isNoisy, otherCpuPercent, summarizeTarget, type RoundResult } from './summary';

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

/** Starts the echo, the server and (with --calibrate, when cc works) the C echo; the caller stops them. */
async function startTargets(options: BenchOptions, started: TargetProcess[]): Promise<void> {
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
  started.push(
    await startTarget({
      name: 'server',
      command: process.execPath,
      args: [options.serverBundle],
      // Every check on, as deployed; the metrics port on loopback and a free port, so that runs cannot collide.
      env: { DRAIN_SECONDS: '0', LOG_LEVEL: 'warn', METRICS_HOST: '127.0.0.1', METRICS_PORT: '0' },
      replyType: MessageType.PONG,
    }),
  );
  if (!options.calibrate) return;
  let binary: string;
  try {
    binary = buildMmsgEcho();
  } catch (err) {
    progress(`calibration skipped: could not compile the C echo (${(err as Error).message.split('\n')[0]})`);
    return;
  }
  started.push(
    await startTarget({ name: 'mmsg-echo', command: binary, args: [], env: {}, replyType: MessageType.PING }),
  );
}

async function bench(options: BenchOptions): Promise<BenchReport> {
  const machine = describeMachine();
  const timing = {
    payloadBytes: options.payloadBytes,
    warmupMs: options.warmupS * 1000,
    durationMs: options.durationS * 1000,
    timeoutMs: options.timeoutMs,
    maxRequests: options.maxRequests,
    // One preallocated store for every run's RTT samples.
    samples: new Float32Array(options.maxRequests),
  };
  const targets: TargetProcess[] = [];
  try {
    await startTargets(options, targets);
    progress(targets.map((target) => `${target.name} pid ${target.pid} port ${target.port}`).join('; '));

    // Interleaved, so that drift in the machine's load falls on every target alike.
    const runs: RoundResult[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of targets) {
        const run = await runClosedLoop({ ...timing, target, window: options.window });
        runs.push({ round, noisy: isNoisy(run), ...run });
        progress(`closed loop ${round}/${options.rounds} ${target.name}: ${describeRun(run)}`);
      }
    }
    const echoSummary = summarizeTarget('echo', runs);
    const serverSummary = summarizeTarget('server', runs);
    const calibrated = targets.some((target) => target.name === 'mmsg-echo');
    const mmsgSummary = calibrated ? summarizeTarget('mmsg-echo', runs) : undefined;

    const rate = options.rate ?? Math.max(1, Math.round(serverSummary.repliesPerSecond / 2));
    const openRuns: RunResult[] = [];
    for (const target of targets.filter((candidate) => candidate.name !== 'mmsg-echo')) {
      const run = await runOpenLoop({ ...timing, target, rate });
      openRuns.push(run);
      progress(`open loop ${rate}/s ${target.name}: ${describeRun(run)}`);
    }

    return {
      machine,
      options,
      closedLoop: {
        runs,
        echo: echoSummary,
        server: serverSummary,
        comparison: compare(echoSummary, serverSummary),
      },
      openLoop: { rate, rateSource: options.rate === undefined ? 'half-server-saturation' : 'flag', runs: openRuns },
      calibration:
        mmsgSummary === undefined
          ? undefined
          : { mmsgEcho: mmsgSummary, headroom: mmsgSummary.repliesPerSecond / echoSummary.repliesPerSecond },
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
  const report = await bench(options);
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
