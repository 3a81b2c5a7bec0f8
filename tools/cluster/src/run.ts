import { spawnSync } from 'node:child_process';
import { createError } from '@ricochet/errors';

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not start (ENOENT: not installed). */
  readonly error?: NodeJS.ErrnoException;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** Runs a program without a shell and captures its output; never throws for a non-zero exit. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs ?? 120_000,
    killSignal: 'SIGKILL',
  });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ...(result.error ? { error: result.error as NodeJS.ErrnoException } : {}),
  };
}

/** Like run, but anything other than exit 0 throws UDP_ERR_CLUSTER_COMMAND_FAILED with the command's stderr. */
export function runOk(command: string, args: readonly string[], options: RunOptions = {}): string {
  const result = run(command, args, options);
  if (result.status !== 0) {
    const status = result.error ? result.error.message : `exit code ${result.status ?? 'none (killed)'}`;
    const output = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
    throw createError('UDP_ERR_CLUSTER_COMMAND_FAILED', [command, ...args].join(' '), status, output);
  }
  return result.stdout;
}

/** Whether a program is installed (runs at all). */
export function installed(command: string, args: readonly string[] = ['--version']): boolean {
  return run(command, args, { timeoutMs: 15_000 }).error === undefined;
}
