import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { deferCleanup } from './cleanup';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  readonly cwd?: string;
  /** The whole environment of the process; this process's unless given. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A long-running child process whose output a test follows line by line. */
export interface SpawnedProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Every stderr line so far. */
  readonly stderr: string[];
  /** Resolves once the process has exited and its output is read to the end. */
  readonly exited: Promise<Exit>;
  /**
   * The first stdout line, past or future, that parses as JSON and that `match` accepts. Rejects after `timeoutMs`
   * (10 s unless given), when the process exits without one, or at a stdout line that is not JSON.
   */
  waitForJson(match: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /**
   * The first stdout line, past or future, that `match` accepts, for programs that write text. Rejects after
   * `timeoutMs` (10 s unless given), or when the process exits without one.
   */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Kills it with `signal` (SIGKILL unless given) unless it has exited, and resolves once it has. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/**
 * Starts `command` without a shell and follows its output. Stopped with SIGKILL after the test that started it (or
 * after the file, when started outside a test), whether the test passed or not, and when this process exits at the
 * latest.
 */
export function spawnProcess(command: string, args: readonly string[], options: SpawnOptions = {}): SpawnedProcess {
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  // 'close', not 'exit': it comes once stdout and stderr are drained, so `lines` holds the last line written.
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let done = false;
  void exited.then(
    () => {
      done = true;
      for (const wake of waiters) wake();
    },
    () => (done = true),
  );

  const stop = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  const forget = deferCleanup(
    () => stop().then(() => undefined),
    () => void child.kill('SIGKILL'),
  );
  void exited.then(forget, forget);

  const output = (): string => `stdout:\n${lines.join('\n')}\nstderr:\n${stderr.join('\n')}`;
  /** Resolves with what `pick` makes of the first line it does not return undefined for; `pick` may throw to reject. */
  const waitFor = <T>(pick: (line: string, index: number) => T | undefined, timeoutMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      let checked = 0;
      const check = (): void => {
        for (; checked < lines.length; checked++) {
          let picked: T | undefined;
          try {
            picked = pick(lines[checked] as string, checked);
          } catch (err) {
            return finish(() => reject(err as Error));
          }
          if (picked !== undefined) return finish(() => resolve(picked));
        }
        if (done) finish(() => reject(new Error(`${command} exited without a matching line; ${output()}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${command}: no matching line within ${timeoutMs} ms; ${output()}`))),
        timeoutMs,
      );
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  const waitForJson: SpawnedProcess['waitForJson'] = (match, timeoutMs = 10_000) =>
    waitFor((line, index) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${command}: stdout line ${index + 1} is not JSON; ${output()}`);
      }
      return match(entry) ? entry : undefined;
    }, timeoutMs);
  const waitForLine: SpawnedProcess['waitForLine'] = (match, timeoutMs = 10_000) =>
    waitFor((line) => (match(line) ? line : undefined), timeoutMs);

  return { child, lines, stderr, exited, waitForJson, waitForLine, stop };
}
