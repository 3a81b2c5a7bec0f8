import { parseArgs } from 'node:util';
import type { GeneratorKind } from './run-result';
import { SERVER_PATHS, type ServerPath } from './targets';
import { CPU_LIST } from './cpu-pinning';
import { VARIANTS, type VariantName } from './variants';

/** `--min-ratio dgram/echo=0.9`: the target's closed-loop replies/s must be at least `min` × the baseline's. */
export interface MinRatio {
  readonly target: string;
  readonly baseline: string;
  readonly min: number;
}

export interface BenchOptions {
  /** Measured seconds per run, after the warm-up. */
  readonly durationS: number;
  readonly warmupS: number;
  /** Rounds; each runs every target once, closed loop then (separately) open loop, interleaved. */
  readonly rounds: number;
  /** Requests kept in flight by the closed-loop generator. */
  readonly window: number;
  /** Bytes after the 8-byte header: a datagram is 8 + payloadBytes long. */
  readonly payloadBytes: number;
  /** Open-loop requests per second. */
  readonly rate: number;
  /** The server's socket I/O paths measured, each its own target (SOCKET_IO). */
  readonly paths: readonly ServerPath[];
  /** Worker counts measured for each path (WORKERS); 1 is the plain server. */
  readonly workers: readonly number[];
  /** The C generator's sockets, each its own source port: more than one spreads over several workers. */
  readonly flows: number;
  /** Tail-study variants of each path's one-worker server (tools/bench/variants). */
  readonly variants: readonly VariantName[];
  /** Ratios to hold; the bench exits 1 when one is not met. */
  readonly minRatios: readonly MinRatio[];
  /** A request with no reply after this long counts as lost. */
  readonly timeoutMs: number;
  /** Upper bound on requests sent in one measured window, whatever the duration. */
  readonly maxRequests: number;
  readonly json: boolean;
  /** The load generator; 'auto' is the C one when a C compiler is found, else the Node one. */
  readonly generator: GeneratorKind | 'auto';
  /** C generator, closed loop: poll for replies instead of blocking (the generator then shows 100% CPU). */
  readonly spin: boolean;
  /** taskset CPU lists the generator and every target run on (default: wherever the kernel puts them). */
  readonly generatorCpus: string | undefined;
  readonly targetCpus: string | undefined;
  /** Also drive a C echo (compiled with cc) each round, to find the generator's own ceiling. */
  readonly calibrate: boolean;
  /** RECV_BUFFER_BYTES values for the overload section; empty skips it. */
  readonly recvBuffers: readonly number[];
  /** Overload section: offered rate as a multiple of the server's median closed-loop replies/s. */
  readonly overloadFactor: number;
  readonly serverBundle: string;
  readonly echoBundle: string;
}

export const USAGE = `Usage: nx run udp-server:bench [-- options]

Drives, from one load generator and interleaved round by round, the udp-server bundle over each socket I/O path
(and worker count), a naive Node echo and a C recvmmsg/sendmmsg echo. Reports each server's replies/s as a ratio
of both echoes', its CPU per reply and peak RSS, then p50/p99 at a fixed rate below saturation. The default
generator is C (tools/bench/native/mmsg-load.c, compiled with cc on each run), so that the targets, not the
generator, run out of CPU.

Options:
  --duration-s <s>      Measured seconds per run (default 5)
  --warmup-s <s>        Unmeasured seconds before each run (default 1)
  --rounds <n>          Rounds; each runs every target once, closed then open loop (default 3)
  --window <n>          Requests in flight in the closed loop (default 128)
  --payload-bytes <n>   Payload after the 8-byte header (default 56: 64-byte datagrams)
  --rate <n>            Open-loop requests/s (default 20000)
  --paths <list>        Server socket I/O paths, each a target: dgram,batched (default both)
  --workers <list>      WORKERS values measured for each path (default 1; e.g. 1,2 for the scaling section)
  --flows <n>           Generator sockets, each its own source port, so that several workers get traffic
                        (default 1, or 16 when --workers has a value over 1; C generator only)
  --variants <list>     Tail study: each path's server again with one thing switched off or on, from outside
                        its code: ${Object.keys(VARIANTS).join(', ')}, or all
  --min-ratio <t/b=x>   Exit 1 unless target t's closed-loop replies/s are at least x × baseline b's
                        (repeatable; e.g. --min-ratio dgram/echo=0.9 --min-ratio batched/mmsg-echo=0.8)
  --timeout-ms <ms>     A request unanswered this long is lost (default 1000)
  --max-requests <n>    Cap on requests per measured window (default 4000000)
  --server-bundle <p>   (default dist/apps/udp-server/main.js)
  --echo-bundle <p>     (default tmp/bench/naive-echo.cjs)
  --generator <c|node>  Load generator (default c when cc is found, else node): c is tools/bench/native/mmsg-load.c,
                        node is the dgram generator in this process (kept for comparison)
  --spin                C generator: poll for replies in the closed loop instead of blocking, so that the
                        targets never pay for waking it (the generator then uses a whole core)
  --no-calibrate        Skip the C echo (tools/bench/native/mmsg-echo.c): no ratios to it, no generator ceiling
  --recv-buffers <list> Overload section: comma-separated RECV_BUFFER_BYTES values; the first path's server is
                        started once per value and offered more than it can answer (default: section skipped)
  --overload-factor <x> Overload section: offered rate as a multiple of that server's closed-loop replies/s
                        (default 1.5)
  --generator-cpus <l>  Run the load generator on these CPUs only (taskset --cpu-list: 0, 2-5, 0,4-7)
  --target-cpus <l>     Run every target on these CPUs only: with --generator-cpus, keeps the two apart on a
                        machine with cores to spare (worker scaling: --workers 1,2,4 --target-cpus 2-5)
  --json                Print one JSON document instead of the tables
  --help
`;

/** The largest datagram the server answers by default (MAX_DATAGRAM_BYTES) less the 8-byte header. */
const MAX_PAYLOAD_BYTES = 1472 - 8;

export class UsageError extends Error {}

/** Parses and checks the command line; throws UsageError listing every problem. Returns undefined for --help. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      'duration-s': { type: 'string', default: '5' },
      'warmup-s': { type: 'string', default: '1' },
      rounds: { type: 'string', default: '3' },
      window: { type: 'string', default: '128' },
      'payload-bytes': { type: 'string', default: '56' },
      rate: { type: 'string', default: '20000' },
      paths: { type: 'string', default: SERVER_PATHS.join(',') },
      workers: { type: 'string', default: '1' },
      flows: { type: 'string' },
      variants: { type: 'string', default: '' },
      'min-ratio': { type: 'string', multiple: true, default: [] },
      'timeout-ms': { type: 'string', default: '1000' },
      'max-requests': { type: 'string', default: '4000000' },
      'server-bundle': { type: 'string', default: 'dist/apps/udp-server/main.js' },
      'echo-bundle': { type: 'string', default: 'tmp/bench/naive-echo.cjs' },
      json: { type: 'boolean', default: false },
      generator: { type: 'string', default: 'auto' },
      spin: { type: 'boolean', default: false },
      calibrate: { type: 'boolean', default: true },
      'recv-buffers': { type: 'string', default: '' },
      'overload-factor': { type: 'string', default: '1.5' },
      'generator-cpus': { type: 'string' },
      'target-cpus': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    allowNegative: true,
  });
  if (values.help) return undefined;

  const problems: string[] = [];
  const number = (flag: string, raw: string, min: number, max: number, integer: boolean): number => {
    const value = Number(raw);
    if (
      raw.trim() === '' ||
      !Number.isFinite(value) ||
      value < min ||
      value > max ||
      (integer && !Number.isInteger(value))
    ) {
      problems.push(`--${flag}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const generator = values.generator;
  if (generator !== 'c' && generator !== 'node' && generator !== 'auto') {
    problems.push(`--generator: expected c or node, got "${generator}"`);
  }
  if (values.spin && generator === 'node') problems.push('--spin: only the C generator can spin (--generator c)');
  const list = (raw: string): string[] =>
    raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const paths = list(values.paths);
  for (const path of paths) {
    if (!(SERVER_PATHS as readonly string[]).includes(path)) {
      problems.push(`--paths: expected ${SERVER_PATHS.join(' or ')}, got "${path}"`);
    }
  }
  if (paths.length === 0) problems.push('--paths: expected at least one of dgram, batched');
  const workers = list(values.workers).map((item) => number('workers', item, 1, 64, true));
  if (workers.length === 0) problems.push('--workers: expected at least one count');
  const flows =
    values.flows === undefined ? (Math.max(...workers, 1) > 1 ? 16 : 1) : number('flows', values.flows, 1, 64, true);
  if (flows > 1 && generator === 'node') problems.push('--flows: only the C generator opens several sockets');
  const variantNames = list(values.variants);
  const variants = (
    variantNames.length === 1 && variantNames[0] === 'all' ? Object.keys(VARIANTS) : variantNames
  ).filter((name) => {
    if (Object.hasOwn(VARIANTS, name)) return true;
    problems.push(`--variants: expected ${Object.keys(VARIANTS).join(', ')} or all, got "${name}"`);
    return false;
  }) as VariantName[];
  const minRatios = values['min-ratio'].flatMap((raw): MinRatio[] => {
    const match = /^([\w+-]+)\/([\w+-]+)=(\d+(?:\.\d+)?)$/.exec(raw.trim());
    if (match === null) {
      problems.push(`--min-ratio: expected <target>/<baseline>=<ratio> such as dgram/echo=0.9, got "${raw}"`);
      return [];
    }
    return [{ target: match[1] as string, baseline: match[2] as string, min: Number(match[3]) }];
  });
  const cpus = (flag: 'generator-cpus' | 'target-cpus'): string | undefined => {
    const raw = values[flag];
    if (raw !== undefined && !CPU_LIST.test(raw)) {
      problems.push(`--${flag}: expected a CPU list such as 0 or 2-5 or 0,4-7 (as taskset takes it), got "${raw}"`);
    }
    return raw;
  };
  const options: BenchOptions = {
    generatorCpus: cpus('generator-cpus'),
    targetCpus: cpus('target-cpus'),
    durationS: number('duration-s', values['duration-s'], 0.1, 60, false),
    warmupS: number('warmup-s', values['warmup-s'], 0, 10, false),
    rounds: number('rounds', values.rounds, 1, 9, true),
    window: number('window', values.window, 1, 4096, true),
    payloadBytes: number('payload-bytes', values['payload-bytes'], 0, MAX_PAYLOAD_BYTES, true),
    rate: number('rate', values.rate, 1, 2_000_000, true),
    paths: paths as ServerPath[],
    workers,
    flows,
    variants,
    minRatios,
    timeoutMs: number('timeout-ms', values['timeout-ms'], 10, 10_000, true),
    maxRequests: number('max-requests', values['max-requests'], 1000, 20_000_000, true),
    json: values.json,
    generator: generator === 'node' || generator === 'c' ? generator : 'auto',
    spin: values.spin,
    calibrate: values.calibrate,
    recvBuffers: values['recv-buffers']
      .split(',')
      .filter((item) => item.trim() !== '')
      .map((item) => number('recv-buffers', item, 1, 2 ** 31 - 1, true)),
    overloadFactor: number('overload-factor', values['overload-factor'], 1, 10, false),
    serverBundle: values['server-bundle'],
    echoBundle: values['echo-bundle'],
  };
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return options;
}
