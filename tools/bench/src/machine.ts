import { availableParallelism, cpus, loadavg, release } from 'node:os';

/** The machine a result was measured on; a figure means little without it. */
export interface MachineInfo {
  /** CPUs this process may run on (what `nproc` prints). */
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly kernel: string;
  /** 1-minute load average when the bench started: how busy the machine already was. */
  readonly loadAverage1m: number;
  readonly date: string;
}

export function describeMachine(): MachineInfo {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    kernel: release(),
    loadAverage1m: loadavg()[0] ?? 0,
    date: new Date().toISOString(),
  };
}
