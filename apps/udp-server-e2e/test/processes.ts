import { join } from 'node:path';
import { run, spawnProcess, type MemoryCgroup, type Run, type SpawnedProcess } from '@ricochet/testing';

export const DIST = join(__dirname, '..', '..', '..', 'dist', 'apps');
export const SERVER_BUNDLE = join(DIST, 'udp-server', 'main.js');
export const PROBE_BUNDLE = join(DIST, 'health-probe', 'main.js');
/** The probe as one executable file (`nx run health-probe:sea`), for this platform. */
export const PROBE_EXECUTABLE = join(DIST, '..', 'sea', `health-probe-${process.platform}-${process.arch}`);

/** The built server as a process: its output, and the ports it logged. Killed after the test that started it. */
export interface ServerProcess extends SpawnedProcess {
  /** The UDP port from the "listening" line. */
  port(): Promise<number>;
  /** The metrics/health HTTP port from its "listening" line. */
  metricsPort(): Promise<number>;
}

export interface StartOptions {
  /** Runs the server inside this cgroup (see MemoryCgroup.wrap). */
  readonly cgroup?: Pick<MemoryCgroup, 'wrap'>;
  /** Another copy of the server bundle (default SERVER_BUNDLE). */
  readonly bundle?: string;
}

/** The server's two socket I/O paths (its SOCKET_IO setting): the process tests run over each. */
export const SOCKET_IO_PATHS = ['dgram', 'batched'] as const;
export type SocketIoPath = (typeof SOCKET_IO_PATHS)[number];

/** startServer with SOCKET_IO set to `path` (what the test's environment says wins over it). */
export function serverOver(path: SocketIoPath): typeof startServer {
  return (env = {}, args = [], options = {}) => startServer({ SOCKET_IO: path, ...env }, args, options);
}

export function startServer(
  env: Record<string, string> = {},
  args: string[] = [],
  options: StartOptions = {},
): ServerProcess {
  const argv = [process.execPath, options.bundle ?? SERVER_BUNDLE, ...args];
  const [command, ...commandArgs] = (options.cgroup?.wrap(argv) ?? argv) as [string, ...string[]];
  const server = spawnProcess(command, commandArgs, {
    env: {
      PATH: process.env['PATH'] ?? '',
      UDP_HOST: '127.0.0.1',
      UDP_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      ...env,
    },
  });
  const portOf = async (msg: string): Promise<number> => {
    const line = await server.waitForJson((e) => e['msg'] === msg);
    // A test over one path must not pass on the other: the "listening" line says which one runs.
    const path = env['SOCKET_IO'];
    if (msg === 'listening' && path !== undefined && path !== 'auto' && line['socketIo'] !== path) {
      throw new Error(`asked for SOCKET_IO=${path}, the server runs ${String(line['socketIo'])}`);
    }
    return (line['address'] as { port: number }).port;
  };
  return {
    ...server,
    port: () => portOf('listening'),
    metricsPort: () => portOf('metrics and health endpoints listening'),
  };
}

const probeEnv = (env: Record<string, string>): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'] ?? '', ...env });

/** Runs the probe bundle to completion. */
export function runProbe(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return run(process.execPath, [PROBE_BUNDLE, ...args], { env: probeEnv(env) });
}

/** Starts the probe bundle and follows its output, for runs that end by a signal (ping without -c). */
export function spawnProbe(args: string[], env: Record<string, string> = {}): SpawnedProcess {
  return spawnProcess(process.execPath, [PROBE_BUNDLE, ...args], { env: probeEnv(env) });
}
