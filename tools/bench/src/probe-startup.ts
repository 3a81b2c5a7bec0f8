// nx run health-probe:bench — what one probe run costs, since Kubernetes starts one per probe period per pod.
// Runs `health-probe check` against the real server bundle, interleaved with a bare `node -e 0` baseline, and
// reports wall time (p50/p95) and CPU (user+sys, from the kernel's accounting of waited-for children).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
const runs = Number(values.runs);
const root = process.cwd();
const probe = join(root, 'dist/apps/health-probe/main.js');
const serverBundle = join(root, 'dist/apps/udp-server/main.js');
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds of this process's waited-for children so far (cutime + cstime in /proc/self/stat). */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function timed(args: string[], env: NodeJS.ProcessEnv): Sample {
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stdout.toString()}`);
  return { wallMs, cpuMs: (childCpuSeconds() - cpuBefore) * 1000 };
}

function summary(name: string, samples: Sample[]): string {
  const wall = samples.map((s) => s.wallMs).sort((a, b) => a - b);
  const cpu = samples.reduce((sum, s) => sum + s.cpuMs, 0) / samples.length;
  return `${name.padEnd(36)} wall p50 ${percentile(wall, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(wall, 95).toFixed(1).padStart(6)} ms  CPU avg ${cpu.toFixed(1).padStart(6)} ms`;
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, [serverBundle], {
    env: { UDP_HOST: '127.0.0.1', UDP_PORT: '0', METRICS_HOST: '127.0.0.1', METRICS_PORT: '0', DRAIN_SECONDS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let port: number | undefined;
    for await (const line of createInterface({ input: server.stdout })) {
      const entry = JSON.parse(line) as { msg?: string; address?: { port: number } };
      if (entry.msg === 'listening') {
        port = entry.address!.port;
        break;
      }
    }
    const env = { UDP_PORT: String(port) };
    const baseline: Sample[] = [];
    const check: Sample[] = [];
    timed(['-e', '0'], env);
    timed([probe, 'check'], env);
    for (let i = 0; i < runs; i++) {
      baseline.push(timed(['-e', '0'], env));
      check.push(timed([probe, 'check', '--expect', 'serving'], env));
    }
    console.log(
      `${runs} runs each, interleaved; Node ${process.version}; ${spawnSync('nproc').stdout.toString().trim()} cores`,
    );
    console.log(summary('node -e 0 (baseline)', baseline));
    console.log(summary('health-probe check --expect serving', check));
    const extra = (a: Sample[], b: Sample[], key: keyof Sample): number =>
      percentile(
        b.map((s) => s[key]).sort((x, y) => x - y),
        50,
      ) -
      percentile(
        a.map((s) => s[key]).sort((x, y) => x - y),
        50,
      );
    console.log(
      `probe over bare Node: +${extra(baseline, check, 'wallMs').toFixed(1)} ms wall (p50), +${extra(baseline, check, 'cpuMs').toFixed(1)} ms CPU (p50)`,
    );
  } finally {
    server.kill('SIGKILL');
  }
}

void main();
