import { spawn } from 'node:child_process';
import { deferCleanup } from './cleanup';

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock time from spawn to exit. */
  readonly ms: number;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the program's stdin, which is then closed. */
  readonly input?: string;
  /** Killed with SIGKILL after this long; the run then resolves with code null. */
  readonly timeoutMs?: number;
}

/**
 * Runs a program to completion without a shell; never rejects for a non-zero exit. A program still running when
 * the test that started it ends (it timed out, say) is killed then.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (options.input !== undefined) child.stdin?.end(options.input);
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    const kill = (): void => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
    const forget = deferCleanup(async () => {
      kill();
      await closed;
    }, kill);
    child.once('error', (err) => {
      forget();
      reject(err);
    });
    child.once('close', (code) => {
      forget();
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Like run, but anything other than exit 0 rejects with the command line and its output. */
export async function runOk(command: string, args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  }
  return result;
}
