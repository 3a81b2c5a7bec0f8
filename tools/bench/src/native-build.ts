// The bench's two C programs, compiled once per bench run with the machine's `cc` into tmp/bench/:
//   mmsg-load.c, the default load generator (`--generator c`), and
//   mmsg-echo.c, the calibration target: an echo far cheaper per reply than any Node process, so the rate a
//   generator reaches against it is that generator's own ceiling.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface NativeProgram {
  readonly source: string;
  readonly binary: string;
}

export const MMSG_LOAD: NativeProgram = {
  source: 'tools/bench/native/mmsg-load.c',
  binary: 'tmp/bench/mmsg-load',
};

export const MMSG_ECHO: NativeProgram = {
  source: 'tools/bench/native/mmsg-echo.c',
  binary: 'tmp/bench/mmsg-echo',
};

/** The C compiler the bench uses; `CC` in the environment picks another. */
export function compilerCommand(env: NodeJS.ProcessEnv = process.env): string {
  const cc = env['CC']?.trim();
  return cc === undefined || cc === '' ? 'cc' : cc;
}

/** Thrown when there is no C compiler to run: the C generator and the calibration target need one. */
export class CompilerMissingError extends Error {
  constructor(readonly compiler: string) {
    super(
      `no C compiler: \`${compiler}\` was not found on PATH. The C load generator and the C echo are compiled ` +
        `with it (Debian/Ubuntu: apt-get install gcc); or pass --generator node to use the Node generator.`,
    );
    this.name = 'CompilerMissingError';
  }
}

/**
 * Compiles one program (`cc -O2 -Wall -Wextra`) and returns the binary's path. Throws CompilerMissingError
 * when there is no compiler, or the compiler's own error (its messages go to our stderr) when it fails.
 */
export function compileNative(program: NativeProgram, compiler = compilerCommand()): string {
  mkdirSync(dirname(program.binary), { recursive: true });
  try {
    execFileSync(compiler, ['-O2', '-Wall', '-Wextra', '-o', program.binary, program.source], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CompilerMissingError(compiler);
    throw err;
  }
  return program.binary;
}
