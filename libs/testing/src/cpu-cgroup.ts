import { canUseCgroup, createCgroup, type Cgroup } from './cgroup-v1';

/** A cgroup v1 cpu cgroup with a CFS quota, as a pod's container gets from `resources.limits.cpu`. */
export interface CpuCgroup extends Cgroup {
  /** Thousandths of a core, as Kubernetes writes CPU (`100m` is 100). */
  readonly millicores: number;
}

const PERIOD_US = 100_000;

/** Whether cpu cgroups can be made here: root, with the cgroup v1 cpu controller mounted. */
export const canLimitCpu = (): boolean => canUseCgroup('cpu', 'cpu.cfs_quota_us');

/** Makes a cpu cgroup that lets its processes run `millicores`/1000 of a core per 100 ms period. */
export function createCpuCgroup(name: string, millicores: number): CpuCgroup {
  const cgroup = createCgroup('cpu', name, {
    'cpu.cfs_period_us': String(PERIOD_US),
    'cpu.cfs_quota_us': String(Math.round((PERIOD_US * millicores) / 1000)),
  });
  return { ...cgroup, millicores };
}
