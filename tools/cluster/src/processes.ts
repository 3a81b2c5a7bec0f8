import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createError } from '@ricochet/errors';
import type { StatePaths } from './layout';

/**
 * The cluster's daemons as plain processes: started detached (they outlive `up`), logs in <state>/logs, one PID
 * file each in <state>/run. A PID file is trusted only while /proc/<pid>/exe is still the binary it names, so a
 * recycled PID is never signalled.
 */
export interface ProcessRecord {
  readonly name: string;
  readonly pid: number;
  readonly binary: string;
}

function pidFile(paths: StatePaths, name: string): string {
  return join(paths.run, `${name}.json`);
}

export function logFile(paths: StatePaths, name: string): string {
  return join(paths.logs, `${name}.log`);
}

/** The binary /proc says a PID runs, or undefined when it is gone (or a zombie). */
export function executableOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

export function isAlive(record: ProcessRecord): boolean {
  return executableOf(record.pid) === record.binary;
}

export function readRecord(paths: StatePaths, name: string): ProcessRecord | undefined {
  try {
    return JSON.parse(readFileSync(pidFile(paths, name), 'utf8')) as ProcessRecord;
  } catch {
    return undefined;
  }
}

/** Every PID file in the state directory, running or not. */
export function readRecords(paths: StatePaths): ProcessRecord[] {
  if (!existsSync(paths.run)) return [];
  return readdirSync(paths.run)
    .filter((file) => file.endsWith('.json'))
    .map((file) => readRecord(paths, file.slice(0, -'.json'.length)))
    .filter((record): record is ProcessRecord => record !== undefined);
}

/** The running process recorded under `name`, if any. */
export function running(paths: StatePaths, name: string): ProcessRecord | undefined {
  const record = readRecord(paths, name);
  return record !== undefined && isAlive(record) ? record : undefined;
}

/** Starts a daemon unless it already runs; returns its record. */
export function startProcess(
  paths: StatePaths,
  name: string,
  binary: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessRecord {
  const existing = running(paths, name);
  if (existing !== undefined) return existing;
  if (!existsSync(binary)) throw createError('UDP_ERR_CLUSTER_TOOL_MISSING', binary, `the ${name} component`);
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.run, { recursive: true });
  const log = openSync(logFile(paths, name), 'a');
  try {
    const child = spawn(binary, [...args], { detached: true, stdio: ['ignore', log, log], env });
    if (child.pid === undefined) throw new Error(`could not start ${binary}`);
    // Reported through the health check and the log; an 'error' event must not crash `up`.
    child.once('error', () => undefined);
    child.unref();
    const record: ProcessRecord = { name, pid: child.pid, binary };
    writeFileSync(pidFile(paths, name), `${JSON.stringify(record)}\n`);
    return record;
  } finally {
    closeSync(log);
  }
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. The process is not our child (it
 * outlived an earlier `up`), so there is no exit event to await: /proc is checked on a short, bounded interval.
 */
export async function stopProcess(record: ProcessRecord, graceMs = 10_000): Promise<void> {
  if (!isAlive(record)) return;
  process.kill(record.pid, 'SIGTERM');
  const deadline = performance.now() + graceMs;
  while (isAlive(record) && performance.now() < deadline) await delay(50);
  if (!isAlive(record)) return;
  process.kill(record.pid, 'SIGKILL');
  const killDeadline = performance.now() + 5_000;
  while (isAlive(record) && performance.now() < killDeadline) await delay(50);
}

export function forgetProcess(paths: StatePaths, name: string): void {
  rmSync(pidFile(paths, name), { force: true });
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
