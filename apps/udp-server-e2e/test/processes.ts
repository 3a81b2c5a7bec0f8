import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { MemoryCgroup } from '@ricochet/testing';

export const DIST = join(__dirname, '..', '..', '..', 'dist', 'apps');
export const SERVER_BUNDLE = join(DIST, 'udp-server', 'main.js');
export const PROBE_BUNDLE = join(DIST, 'health-probe', 'main.js');

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far, parsed as JSON (a line that is not JSON fails the test that reads it). */
  readonly lines: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
  /** Resolves with the first stdout line (parsed) that matches, past or future; rejects after `timeoutMs`. */
  waitForLog(match: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** The UDP port from the "listening" line. */
  port(): Promise<number>;
  /** The metrics/health HTTP port from its "listening" line. */
  metricsPort(): Promise<number>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Kills whatever a test left running. Register with afterEach. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;
      }
    }),
  );
  running.clear();
}

export interface StartOptions {
  /** Runs the server inside this cgroup (see MemoryCgroup.wrap). */
  readonly cgroup?: Pick<MemoryCgroup, 'wrap'>;
}

export function startServer(
  env: Record<string, string> = {},
  args: string[] = [],
  options: StartOptions = {},
): ServerProcess {
  const argv = [process.execPath, SERVER_BUNDLE, ...args];
  const [command, ...commandArgs] = (options.cgroup?.wrap(argv) ?? argv) as [string, ...string[]];
  const child = spawn(command, commandArgs, {
    env: {
      PATH: process.env['PATH'] ?? '',
      UDP_HOST: '127.0.0.1',
      UDP_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      ...env,
    },
  });
  running.add(child);
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  // 'close', not 'exit': it fires once stdout and stderr are drained, so `lines` holds the last line written.
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const waitForLog: ServerProcess['waitForLog'] = (match, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find(match);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `no matching log line within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr.join('\n')}`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      const wake = (): void => void check();
      waiters.add(wake);
      void exited.then(() =>
        setImmediate(() => check() || (cleanup(), reject(new Error(`server exited; stderr:\n${stderr.join('\n')}`)))),
      );
      check();
    });
  return {
    child,
    lines,
    stderr,
    exited,
    waitForLog,
    port: async () => ((await waitForLog((e) => e['msg'] === 'listening'))['address'] as { port: number }).port,
    metricsPort: async () =>
      ((await waitForLog((e) => e['msg'] === 'metrics and health endpoints listening'))['address'] as { port: number })
        .port,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the probe bundle to completion. */
export function runProbe(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PROBE_BUNDLE, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
