import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupV1Root, testCgroupDir, wrapInCgroup } from './cgroup-v1';

/** A cgroup v1 memory cgroup with a hard limit, as a pod's container gets from `resources.limits.memory`. */
export interface MemoryCgroup {
  readonly limitBytes: number;
  /** `argv` run inside the cgroup: a shell joins it, then execs the command, so the PID stays the command's. */
  wrap(argv: readonly string[]): string[];
  /** How often the kernel's OOM killer acted in it. */
  oomKills(): number;
  /** Removes the cgroup; every process in it must have exited. */
  remove(): void;
}

/** Whether memory cgroups can be made here: root, with the cgroup v1 memory controller mounted. */
export function canLimitMemory(): boolean {
  return process.getuid?.() === 0 && existsSync(join(cgroupV1Root('memory'), 'cgroup.procs'));
}

/**
 * Makes a memory cgroup named after this process. Node sizes its heap from the limit of the cgroup it starts in,
 * as it does in a container, so a process measured in here behaves as it would in the pod.
 */
export function createMemoryCgroup(name: string, limitBytes: number): MemoryCgroup {
  const dir = testCgroupDir('memory', name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
  return {
    limitBytes,
    wrap: (argv) => wrapInCgroup(dir, argv),
    oomKills: () => Number(/^oom_kill (\d+)$/m.exec(readFileSync(join(dir, 'memory.oom_control'), 'utf8'))?.[1] ?? 0),
    remove: () => rmdirSync(dir),
  };
}
