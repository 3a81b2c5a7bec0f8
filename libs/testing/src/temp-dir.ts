import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deferCleanup } from './cleanup';

// Every directory made here is named ricochet-test-<pid>-<prefix>-XXXXXX: the pid says whose it is, so one left
// behind by a process that was killed (SIGKILL leaves no chance to clean up) is recognised as abandoned later.
const MARK = 'ricochet-test-';
const OWNED = /^ricochet-test-(\d+)-/;

const remove = (dir: string): void => rmSync(dir, { recursive: true, force: true });

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the directories of processes that no longer run: what a killed test run left behind. */
function removeAbandoned(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = OWNED.exec(name)?.[1];
    if (pid === undefined || isRunning(Number(pid))) continue;
    try {
      remove(join(tmpdir(), name));
    } catch {
      // Another run is sweeping it at the same moment, or it is not ours to remove: either way, not this test's problem.
    }
  }
}

removeAbandoned();

/**
 * A new, empty directory under the OS temp dir, removed with everything in it after the test that made it (or
 * after the test file, when made outside a test: at import, in a describe body, in beforeAll), whether the test
 * passed or not, and when the process exits at the latest. `prefix` (lower case, digits, dashes) names what it is for.
 * Removing it earlier with `rmSync(dir, { recursive: true, force: true })` is fine.
 */
export function makeTempDir(prefix: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(prefix)) {
    throw new Error(`makeTempDir: prefix "${prefix}" must be lower-case letters, digits and dashes`);
  }
  const dir = mkdtempSync(join(tmpdir(), `${MARK}${process.pid}-${prefix}-`));
  deferCleanup(
    () => remove(dir),
    () => remove(dir),
  );
  return dir;
}
