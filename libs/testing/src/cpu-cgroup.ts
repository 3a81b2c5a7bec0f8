import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupV1Root, testCgroupDir, wrapInCgroup } from './cgroup-v1';

/** A cgroup v1 cpu cgroup with a CFS quota, as a pod's container gets from `resources.limits.cpu`. */
export interface CpuCgroup {
  /** Thousandths of a core, as Kubernetes writes CPU (`100m` is 100). */
  readonly millicores: number;
  /** `argv` run inside the cgroup; the PID stays the command's. */
  wrap(argv: readonly string[]): string[];
  /** Removes the cgroup; every process in it must have exited. */
  remove(): void;
}

const PERIOD_US = 100_000;

/** Whether cpu cgroups can be made here: root, with the cgroup v1 cpu controller mounted. */
export function canLimitCpu(): boolean {
  return process.getuid?.() === 0 && existsSync(join(cgroupV1Root('cpu'), 'cpu.cfs_quota_us'));
}

/** Makes a cpu cgroup that lets its processes run `millicores`/1000 of a core per 100 ms period. */
export function createCpuCgroup(name: string, millicores: number): CpuCgroup {
  const dir = testCgroupDir('cpu', name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
  writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(Math.round((PERIOD_US * millicores) / 1000)));
  return { millicores, wrap: (argv) => wrapInCgroup(dir, argv), remove: () => rmdirSync(dir) };
}
