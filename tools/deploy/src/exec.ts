import { spawnSync } from 'node:child_process';

export interface ExecResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started at all (ENOENT: not on PATH). */
  readonly error?: NodeJS.ErrnoException;
}

export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Show the program's output as it runs instead of capturing it. */
  readonly inherit?: boolean;
}

/** Runs a program without a shell. Injected everywhere, so tests can record what would run. */
export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => ExecResult;

export const exec: Exec = (command, args, options = {}) => {
  const result = spawnSync(command, [...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    stdio: options.inherit ? 'inherit' : 'pipe',
  });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ...(result.error ? { error: result.error as NodeJS.ErrnoException } : {}),
  };
};

/** A command line as a person would type it, for logs and plan output. */
export function formatCommand(command: readonly string[], env: Readonly<Record<string, string>> = {}): string {
  const quote = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);
  const prefix = Object.entries(env).map(([key, value]) => `${key}=${quote(value)} `);
  return prefix.join('') + command.map(quote).join(' ');
}
