import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canUseCgroup, createCgroup, type Cgroup } from './cgroup-v1';

/** A cgroup v1 memory cgroup with a hard limit, as a pod's container gets from `resources.limits.memory`. */
export interface MemoryCgroup extends Cgroup {
  readonly limitBytes: number;
  /** How often the kernel's OOM killer acted in it. */
  oomKills(): number;
}

/** Whether memory cgroups can be made here: root, with the cgroup v1 memory controller mounted. */
export const canLimitMemory = (): boolean => canUseCgroup('memory', 'cgroup.procs');

/**
 * Makes a memory cgroup with a hard limit. Node sizes its heap from the limit of the cgroup it starts in, as it
 * does in a container, so a process measured in here behaves as it would in the pod.
 */
export function createMemoryCgroup(name: string, limitBytes: number): MemoryCgroup {
  const cgroup = createCgroup('memory', name, { 'memory.limit_in_bytes': String(limitBytes) });
  return {
    ...cgroup,
    limitBytes,
    oomKills: () =>
      Number(/^oom_kill (\d+)$/m.exec(readFileSync(join(cgroup.dir, 'memory.oom_control'), 'utf8'))?.[1] ?? 0),
  };
}
