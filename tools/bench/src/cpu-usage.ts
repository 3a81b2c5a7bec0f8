// CPU use over a measured window, in percent of one core: this process (the generator) from
// process.cpuUsage(), the target from /proc/<pid>/stat, and the whole machine from /proc/stat.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface CpuSnapshot {
  readonly wallMs: number;
  readonly self: NodeJS.CpuUsage;
  /** utime + stime of the target, in clock ticks. */
  readonly targetTicks: number;
  /** Non-idle ticks summed over every CPU of the machine. */
  readonly machineBusyTicks: number;
  /** Ticks the hypervisor ran something else while our CPUs wanted to run. */
  readonly machineStealTicks: number;
}

export interface CpuPercents {
  readonly generator: number;
  readonly target: number;
  /** Everything that ran on the machine, ours or not; up to 100 × the number of CPUs. */
  readonly machine: number;
  /** Time the hypervisor gave our CPUs to someone else: invisible load that slows every process. */
  readonly steal: number;
}

/** USER_HZ, the unit of /proc times; 100 on every Linux we know of, asked once in case it is not. */
const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** utime + stime of a whole process (every thread), in clock ticks. */
export function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (field 14) and stime (field 15) sit at 11 and 12.
  return Number(fields[11]) + Number(fields[12]);
}

/** Busy and steal ticks of the whole machine, from the first line of /proc/stat. */
function machineTicks(): { busy: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu  user nice system idle iowait irq softirq steal …
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  return { busy: user + nice + system + irq + softirq, steal };
}

export function takeCpuSnapshot(targetPid: number): CpuSnapshot {
  const machine = machineTicks();
  return {
    wallMs: performance.now(),
    self: process.cpuUsage(),
    targetTicks: processTicks(targetPid),
    machineBusyTicks: machine.busy,
    machineStealTicks: machine.steal,
  };
}

export function cpuBetween(start: CpuSnapshot, end: CpuSnapshot): CpuPercents {
  const wallMs = Math.max(1, end.wallMs - start.wallMs);
  const selfMicros = end.self.user - start.self.user + (end.self.system - start.self.system);
  const ticksToPercent = (ticks: number): number => ((ticks * 1000) / CLOCK_TICKS_PER_SECOND / wallMs) * 100;
  return {
    generator: (selfMicros / 1000 / wallMs) * 100,
    target: ticksToPercent(end.targetTicks - start.targetTicks),
    machine: ticksToPercent(end.machineBusyTicks - start.machineBusyTicks),
    steal: ticksToPercent(end.machineStealTicks - start.machineStealTicks),
  };
}
