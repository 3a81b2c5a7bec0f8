// Pins a process to a set of CPUs with taskset(1) (util-linux), which sets the affinity and then execs the program:
// the pid the bench reads /proc/<pid>/stat and status of is the program's own.

/** A CPU list as taskset --cpu-list takes it: numbers and ranges, comma-separated (0, 2-5, 0,4-7). */
export const CPU_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

export interface Command {
  readonly command: string;
  readonly args: readonly string[];
}

/** `command args`, run on `cpus` only when a list is given. */
export function pinned(command: string, args: readonly string[], cpus: string | undefined): Command {
  return cpus === undefined ? { command, args } : { command: 'taskset', args: ['--cpu-list', cpus, command, ...args] };
}
