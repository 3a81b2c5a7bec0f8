// Starts a target (the server bundle or the naive echo) as its own Node process on a loopback port, waits
// until it answers a PING, and stops it with SIGTERM. Every child is also killed if the bench itself exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { pinned } from './cpu-pinning';
import type { RunTarget, TargetName } from './run-result';
import { pingDatagram } from './generator-socket';

export interface TargetSpec {
  readonly name: TargetName;
  /** The program and its arguments: this Node and a bundled script, or a native calibration target. */
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly replyType: number;
  /** A taskset CPU list to run it on (--target-cpus). */
  readonly cpus?: string;
}

/** Peak and current resident set of a process, from /proc/<pid>/status; undefined where it cannot be read. */
export interface MemoryUse {
  /** VmHWM: the most the process has had resident since it started. */
  readonly peakRssBytes: number;
  readonly rssBytes: number;
}

export function readMemoryUse(pid: number): MemoryUse | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peakRssBytes: kib('VmHWM'), rssBytes: kib('VmRSS') };
}

export interface TargetProcess extends RunTarget {
  /** Its memory now (peak since start included); read before stop(). */
  memory(): MemoryUse | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. Resolves with the exit code (null when signalled). */
  stop(): Promise<number | null>;
}

const READY_TIMEOUT_MS = 10_000;
const PROBE_INTERVAL_MS = 100;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 3;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startTarget(spec: TargetSpec): Promise<TargetProcess> {
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    // At LOG_LEVEL=warn the server prints no "listening" line to read a port from: pick a free port first.
    // Another process could take it in between; the child then fails to bind and we try another.
    const port = await freeUdpPort();
    const { command, args } = pinned(spec.command, spec.args, spec.cpus);
    const child = spawn(command, args, {
      env: { ...process.env, ...spec.env, UDP_HOST: '127.0.0.1', UDP_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    forwardOutput(spec.name, child);
    try {
      await waitUntilAnswering(port, child);
    } catch (err) {
      lastError = err as Error;
      child.kill('SIGKILL');
      continue;
    }
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${spec.name}: started but has no pid`);
    return {
      name: spec.name,
      port,
      pid,
      replyType: spec.replyType,
      memory: () => readMemoryUse(pid),
      stop: () => stopChild(child),
    };
  }
  throw new Error(
    `${spec.name} (${[spec.command, ...spec.args].join(' ')}) did not start: ${lastError?.message ?? 'unknown'}`,
  );
}

/** A TCP port free now (for a server's metrics port; another process could take it before the server does). */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** Sends a PING every 100 ms until one is answered; rejects if the child exits or 10 s pass. */
async function waitUntilAnswering(port: number, child: ChildProcess): Promise<void> {
  const probe = createSocket('udp4');
  probe.bind(0, '127.0.0.1');
  await once(probe, 'listening');
  const ping = pingDatagram(0);
  try {
    await new Promise<void>((resolve, reject) => {
      const sendProbe = (): void => probe.send(ping, port, '127.0.0.1');
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
        done(new Error(`exited before answering (code ${code}, signal ${signal})`));
      const done = (err?: Error): void => {
        clearInterval(interval);
        clearTimeout(deadline);
        child.off('exit', onExit);
        probe.off('message', onMessage);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onMessage = (): void => done();
      const interval = setInterval(sendProbe, PROBE_INTERVAL_MS);
      const deadline = setTimeout(
        () => done(new Error(`no reply on port ${port} within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      child.once('exit', onExit);
      probe.on('message', onMessage);
      sendProbe();
    });
  } finally {
    probe.close();
  }
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const [code] = await exited;
  clearTimeout(timer);
  return code;
}

/** Passes the child's output on to our stderr, prefixed, except the echo's own "listening" line. */
function forwardOutput(name: TargetName, child: ChildProcess): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (line.includes('"msg":"listening"')) return;
      process.stderr.write(`[${name}] ${line}\n`);
    });
  }
}
