import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { createError } from '@ricochet/errors';

/** Runs a program without a shell; anything but exit 0 throws UDP_ERR_REGISTRY_FAILED with its output. */
export function runOk(command: string, args: readonly string[]): string {
  const result = spawnSync(command, [...args], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    const output = (result.error?.message ?? (result.stderr || result.stdout)).trim().split('\n').slice(-10);
    throw createError('UDP_ERR_REGISTRY_FAILED', `\`${[command, ...args].join(' ')}\` failed: ${output.join('\n')}`);
  }
  return result.stdout;
}

/** The absolute path of a program on PATH (the PID file names it, and is trusted only while it matches). */
export function findOnPath(program: string, path = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(':').filter(Boolean)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
