// Runs the C load generator (mmsg-load.c, compiled by native-build.ts) as its own process for one run against
// one target, and turns the JSON line it prints into the same RunResult the Node generator returns. The
// generator reads every CPU counter itself at the edges of its measured window, so its figures need no
// coordination with this process, which only waits.
import { spawn } from 'node:child_process';
import { pinned } from './cpu-pinning';
import { once } from 'node:events';
import type { CpuPercents } from './cpu-usage';
import type { LatencySummary } from './percentiles';
import type { RunResult, RunTarget } from './run-result';

export type ClosedOrOpenLoad = { readonly window: number } | { readonly rate: number };

export interface CGeneratorOptions {
  readonly binary: string;
  readonly target: RunTarget;
  /** Closed loop with `window` requests in flight, or open loop at `rate` requests per second. */
  readonly load: ClosedOrOpenLoad;
  /** Closed loop: poll for replies without blocking, so that the target never pays for waking the generator. */
  readonly spin: boolean;
  /** Sockets, each from its own port, the requests take turns on (default 1). */
  readonly flows?: number;
  /** A taskset CPU list to run it on (--generator-cpus). */
  readonly cpus?: string;
  readonly payloadBytes: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  readonly maxRequests: number;
}

/** What mmsg-load prints: one JSON object on one line. Counters it could not read are null. */
export interface CGeneratorOutput {
  readonly generator: 'mmsg-load';
  readonly mode: 'closed-loop' | 'open-loop';
  readonly seconds: number;
  readonly sent: number;
  /** Replies received inside the measured window. */
  readonly received: number;
  /** Requests sent inside the window that got their reply. */
  readonly answered: number;
  readonly lost: number;
  readonly unexpected: number;
  readonly sendErrors: number;
  readonly recvErrors: number;
  readonly repliesPerSecond: number;
  readonly rttUs: LatencySummary;
  readonly syscalls: { readonly sendmmsg: number; readonly recvmmsg: number };
  readonly cpu: {
    readonly wallUs: number;
    /** The generator's user + system CPU over the measured window (getrusage). */
    readonly generatorUs: number | null;
    /** The same over the whole run, warm-up and drain included. */
    readonly generatorUsTotal: number | null;
    readonly targetTicks: number | null;
    readonly machineBusyTicks: number | null;
    readonly machineStealTicks: number | null;
    readonly clockTicksPerSecond: number;
  };
}

/** Extra time, past its own bound, before a silent generator is killed. */
const KILL_GRACE_MS = 10_000;

/** The command line for one run. */
export function cGeneratorArgs(options: CGeneratorOptions): string[] {
  const { target, load } = options;
  return [
    '--port',
    String(target.port),
    ...('window' in load ? ['--window', String(load.window)] : ['--rate', String(load.rate)]),
    '--payload-bytes',
    String(options.payloadBytes),
    '--warmup-ms',
    String(Math.round(options.warmupMs)),
    '--duration-ms',
    String(Math.round(options.durationMs)),
    '--timeout-ms',
    String(options.timeoutMs),
    '--max-requests',
    String(options.maxRequests),
    '--reply-type',
    String(target.replyType),
    '--target-pid',
    String(target.pid),
    '--wait',
    options.spin ? 'spin' : 'block',
    '--flows',
    String(options.flows ?? 1),
  ];
}

/** CPU in % of one core over the generator's measured window; NaN for what it could not read. */
export function cpuPercentsFrom(cpu: CGeneratorOutput['cpu']): CpuPercents {
  const wallUs = Math.max(1, cpu.wallUs);
  const ticks = (value: number | null): number =>
    value === null ? Number.NaN : ((value * 1e6) / cpu.clockTicksPerSecond / wallUs) * 100;
  return {
    generator: cpu.generatorUs === null ? Number.NaN : (cpu.generatorUs / wallUs) * 100,
    target: ticks(cpu.targetTicks),
    machine: ticks(cpu.machineBusyTicks),
    steal: ticks(cpu.machineStealTicks),
  };
}

/** Parses mmsg-load's last stdout line into a RunResult for `target`. Throws when it is not what we expect. */
export function parseCGeneratorOutput(stdout: string, target: RunTarget): RunResult {
  const line = stdout.trim().split('\n').pop() ?? '';
  let output: CGeneratorOutput;
  try {
    output = JSON.parse(line) as CGeneratorOutput;
  } catch {
    throw new Error(`mmsg-load printed no JSON result (last line: ${JSON.stringify(line.slice(0, 200))})`);
  }
  if (output.generator !== 'mmsg-load' || typeof output.sent !== 'number' || typeof output.rttUs !== 'object') {
    throw new Error(`mmsg-load printed an unexpected result: ${line.slice(0, 200)}`);
  }
  return {
    target: target.name,
    generator: 'c',
    mode: output.mode,
    seconds: output.seconds,
    sent: output.sent,
    answered: output.answered,
    lost: output.lost,
    lossPercent: output.sent === 0 ? 0 : (output.lost / output.sent) * 100,
    repliesPerSecond: output.repliesPerSecond,
    // Send or receive errors are datagrams the kernel refused; they show up as loss too.
    unexpected: output.unexpected,
    rttUs: output.rttUs,
    cpuPercent: cpuPercentsFrom(output.cpu),
    generatorSyscallsPerReply:
      output.received > 0 ? (output.syscalls.sendmmsg + output.syscalls.recvmmsg) / output.received : Number.NaN,
  };
}

/** One run of the C generator (closed or open loop) against one target. */
export async function runCGenerator(options: CGeneratorOptions): Promise<RunResult> {
  const { command, args } = pinned(options.binary, cGeneratorArgs(options), options.cpus);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // The generator bounds its own run; this only guards against it hanging outright.
  const limitMs = options.warmupMs + options.durationMs + options.timeoutMs + 5000 + KILL_GRACE_MS;
  const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    if (code !== 0) {
      throw new Error(
        `mmsg-load against ${options.target.name} exited with ${code === null ? `signal ${signal}` : `code ${code}`}` +
          `${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}`,
      );
    }
  } finally {
    clearTimeout(killer);
  }
  if (stderr.trim() !== '') process.stderr.write(`[mmsg-load] ${stderr.trim()}\n`);
  return parseCGeneratorOutput(stdout, options.target);
}
