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

/**
 * Daemons as plain processes: started detached (they outlive the command that started them), logs in
 * <logs>/<name>.log, one PID file each in <run>/<name>.json. A PID file is trusted only while /proc/<pid>/exe is
 * still the binary it names, so a recycled PID is never signalled.
 */
export interface DaemonDirs {
  /** PID files. */
  readonly run: string;
  readonly logs: string;
}

export interface ProcessRecord {
  readonly name: string;
  readonly pid: number;
  readonly binary: string;
}

function pidFile(dirs: DaemonDirs, name: string): string {
  return join(dirs.run, `${name}.json`);
}

export function logFile(dirs: DaemonDirs, name: string): string {
  return join(dirs.logs, `${name}.log`);
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

export function readRecord(dirs: DaemonDirs, name: string): ProcessRecord | undefined {
  try {
    return JSON.parse(readFileSync(pidFile(dirs, name), 'utf8')) as ProcessRecord;
  } catch {
    return undefined;
  }
}

/** Every PID file, running or not. */
export function readRecords(dirs: DaemonDirs): ProcessRecord[] {
  if (!existsSync(dirs.run)) return [];
  return readdirSync(dirs.run)
    .filter((file) => file.endsWith('.json'))
    .map((file) => readRecord(dirs, file.slice(0, -'.json'.length)))
    .filter((record): record is ProcessRecord => record !== undefined);
}

/** The running process recorded under `name`, if any. */
export function running(dirs: DaemonDirs, name: string): ProcessRecord | undefined {
  const record = readRecord(dirs, name);
  return record !== undefined && isAlive(record) ? record : undefined;
}

/** Starts a daemon unless it already runs; returns its record. The caller checks that `binary` exists. */
export function startProcess(
  dirs: DaemonDirs,
  name: string,
  binary: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessRecord {
  const existing = running(dirs, name);
  if (existing !== undefined) return existing;
  mkdirSync(dirs.logs, { recursive: true });
  mkdirSync(dirs.run, { recursive: true });
  const log = openSync(logFile(dirs, name), 'a');
  try {
    const child = spawn(binary, [...args], { detached: true, stdio: ['ignore', log, log], env });
    if (child.pid === undefined) throw new Error(`could not start ${binary}`);
    // Reported through the caller's health check and the log; an 'error' event must not crash the caller.
    child.once('error', () => undefined);
    child.unref();
    const record: ProcessRecord = { name, pid: child.pid, binary };
    writeFileSync(pidFile(dirs, name), `${JSON.stringify(record)}\n`);
    return record;
  } finally {
    closeSync(log);
  }
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. The process is not our child (it
 * outlived an earlier command), so there is no exit event to await: /proc is checked on a short, bounded interval.
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

export function forgetProcess(dirs: DaemonDirs, name: string): void {
  rmSync(pidFile(dirs, name), { force: true });
}
