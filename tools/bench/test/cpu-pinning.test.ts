import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pinned } from '../src/cpu-pinning';

/** The Cpus_allowed_list the kernel reports for a process started as `pinned` builds it. */
function allowedCpus(cpus: string | undefined): string {
  const { command, args } = pinned('grep', ['^Cpus_allowed_list:', '/proc/self/status'], cpus);
  const result = spawnSync(command, args, { encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout.split(':')[1]?.trim() ?? '';
}

describe('running a bench process on chosen CPUs', () => {
  it('leaves the command alone without a CPU list', () => {
    expect(pinned('node', ['echo.cjs'], undefined)).toEqual({ command: 'node', args: ['echo.cjs'] });
  });

  it('runs it under taskset, and the kernel then holds it to those CPUs', () => {
    const ours = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    expect(allowedCpus(undefined)).toBe(ours);
    const last = String(availableParallelism() - 1);
    expect(allowedCpus(last)).toBe(last);
  });
});
