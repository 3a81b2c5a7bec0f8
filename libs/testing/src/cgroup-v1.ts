import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deferCleanup } from './cleanup';

export type CgroupController = 'memory' | 'cpu';

/** Where a cgroup v1 controller is mounted on Debian 12 with the v1 hierarchy. */
export const cgroupV1Root = (controller: CgroupController): string => join('/sys/fs/cgroup', controller);

/** Whether cgroups of `controller` can be made here: root, with the controller mounted (`file` is one of its own). */
export const canUseCgroup = (controller: CgroupController, file: string): boolean =>
  process.getuid?.() === 0 && existsSync(join(cgroupV1Root(controller), file));

/** A cgroup made for one test. */
export interface Cgroup {
  readonly dir: string;
  /** `argv` run inside the cgroup: a shell joins it, then execs the command, so the PID stays the command's. */
  wrap(argv: readonly string[]): string[];
  /** Removes the cgroup (every process in it must have exited); removing again does nothing. */
  remove(): void;
}

/**
 * Makes a cgroup of `controller` named after the test and this process (parallel runs never share one), with
 * `settings` written into its files. Removed after the test that made it (or after the file, when made outside a
 * test): after whatever was started in it later, which goes first.
 */
export function createCgroup(
  controller: CgroupController,
  name: string,
  settings: Readonly<Record<string, string>>,
): Cgroup {
  const dir = join(cgroupV1Root(controller), `ricochet-test-${name}-${process.pid}`);
  mkdirSync(dir);
  for (const [file, value] of Object.entries(settings)) writeFileSync(join(dir, file), value);
  const remove = (): void => {
    if (existsSync(dir)) rmdirSync(dir);
  };
  const forget = deferCleanup(remove, () => {
    try {
      remove();
    } catch {
      // A process in it has not been reaped yet: the kernel keeps an empty cgroup, harmless, until the next boot.
    }
  });
  return {
    dir,
    wrap: (argv) => ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', join(dir, 'cgroup.procs'), ...argv],
    remove: () => {
      forget();
      remove();
    },
  };
}
