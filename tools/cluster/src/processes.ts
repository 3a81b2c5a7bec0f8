import { existsSync, readdirSync } from 'node:fs';
import { executableOf, startProcess as startDaemon, type DaemonDirs, type ProcessRecord } from '@ricochet/daemon';
import { createError } from '@ricochet/errors';

/** Starts a cluster daemon unless it already runs; a component that was not built is a coded error. */
export function startProcess(
  dirs: DaemonDirs,
  name: string,
  binary: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessRecord {
  if (!existsSync(binary)) throw createError('UDP_ERR_CLUSTER_TOOL_MISSING', binary, `the ${name} component`);
  return startDaemon(dirs, name, binary, args, env);
}

/** Every process on the machine whose executable lies under `dir` (the component cache): what `down` must stop. */
export function processesRunningFrom(dir: string): { pid: number; binary: string }[] {
  const found: { pid: number; binary: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const binary = executableOf(Number(entry));
    if (binary !== undefined && binary.startsWith(`${dir}/`)) found.push({ pid: Number(entry), binary });
  }
  return found;
}
