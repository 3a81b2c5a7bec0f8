import { join } from 'node:path';

/** Where a cgroup v1 controller is mounted on Debian 12 with the v1 hierarchy. */
export const cgroupV1Root = (controller: 'memory' | 'cpu'): string => join('/sys/fs/cgroup', controller);

/** The test's own cgroup under `controller`, named after it and this process so that parallel runs never share. */
export const testCgroupDir = (controller: 'memory' | 'cpu', name: string): string =>
  join(cgroupV1Root(controller), `ricochet-test-${name}-${process.pid}`);

/** `argv` run inside the cgroup at `dir`: a shell joins it, then execs the command, so the PID stays the command's. */
export const wrapInCgroup = (dir: string, argv: readonly string[]): string[] => [
  '/bin/sh',
  '-c',
  'echo $$ > "$0" && exec "$@"',
  join(dir, 'cgroup.procs'),
  ...argv,
];
