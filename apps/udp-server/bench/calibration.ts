// `--calibrate`: compile mmsg-echo.c, a target far cheaper per reply than any Node process, so the rate the
// generator reaches against it is the generator's own ceiling. Needs a C compiler; the bench runs without.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const MMSG_ECHO_SOURCE = 'apps/udp-server/bench/mmsg-echo.c';
export const MMSG_ECHO_BINARY = 'tmp/bench/mmsg-echo';

/** Compiles the C echo with `cc`; returns its path, or throws with the compiler's complaint. */
export function buildMmsgEcho(source = MMSG_ECHO_SOURCE, binary = MMSG_ECHO_BINARY): string {
  mkdirSync(dirname(binary), { recursive: true });
  execFileSync('cc', ['-O2', '-Wall', '-o', binary, source], { stdio: ['ignore', 'ignore', 'inherit'] });
  return binary;
}
