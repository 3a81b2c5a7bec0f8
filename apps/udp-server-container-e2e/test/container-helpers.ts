// Helpers for container.test.ts: podman and helm as child processes, the chart's probe commands, a log follower.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decode, encode, MessageType } from '@ricochet/protocol';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..', '..');
export const CHART = join(ROOT, 'helm', 'udp-server');
export const STAND_IN_SCRIPT = join(ROOT, 'apps', 'udp-server', 'docker', 'base-stand-in.mjs');
export const BUILD_SCRIPT = join(ROOT, 'apps', 'udp-server', 'docker', 'build-image.mjs');

/** podman reads the repo's settings (runc, no default ulimits) unless the caller chose others. */
export const PODMAN_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CONTAINERS_CONF: process.env['CONTAINERS_CONF'] ?? join(ROOT, 'tools', 'containers.conf'),
};

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock time from spawn to exit. */
  readonly ms: number;
}

/** Runs a command to completion (killing it after `timeoutMs`) and never rejects for a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  { env = PODMAN_ENV, timeoutMs = 60_000 } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

/** Like run, but a non-zero exit rejects with the command and its stderr. */
export async function runOk(
  command: string,
  args: readonly string[],
  options?: Parameters<typeof run>[2],
): Promise<Run> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  }
  return result;
}

/** Whether `binary versionArgs…` runs and exits 0. */
export function onPath(binary: string, versionArgs: readonly string[] = ['--version']): boolean {
  return spawnSync(binary, versionArgs, { stdio: 'ignore', env: PODMAN_ENV }).status === 0;
}

export interface ChartContainer {
  readonly startup: readonly string[];
  readonly liveness: readonly string[];
  readonly readiness: readonly string[];
  /**
   * The container's environment as the pod would get it: `envFrom` ConfigMaps rendered by the chart, then `env`
   * entries with a literal value. Secrets and `valueFrom` need a cluster and are left out.
   */
  readonly env: Readonly<Record<string, string>>;
  /** The pod's securityContext overlaid with the container's, as the kubelet applies them. */
  readonly securityContext: SecurityContext;
}

interface ExecProbe {
  exec?: { command?: string[] };
}
interface RenderedContainer {
  startupProbe?: ExecProbe;
  livenessProbe?: ExecProbe;
  readinessProbe?: ExecProbe;
  env?: { name: string; value?: string }[];
  envFrom?: { prefix?: string; configMapRef?: { name: string } }[];
  securityContext?: SecurityContext;
}
export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
}
interface RenderedDocument {
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
  spec?: { template?: { spec?: { securityContext?: SecurityContext; containers?: RenderedContainer[] } } };
}

/** `helm template` of helm/udp-server with its default values; the first container of its Deployment. */
export async function renderChartContainer(): Promise<ChartContainer> {
  const helmHome = mkdtempSync(join(tmpdir(), 'ricochet-e2e-helm-'));
  try {
    const helmEnv = {
      PATH: process.env['PATH'] ?? '',
      HELM_CACHE_HOME: helmHome,
      HELM_CONFIG_HOME: helmHome,
      HELM_DATA_HOME: helmHome,
    };
    const rendered = await run('helm', ['template', 'ricochet-e2e', CHART], { env: helmEnv });
    if (rendered.code !== 0)
      throw new Error(`helm template ${CHART} failed (exit ${rendered.code}):\n${rendered.stderr}`);
    const documents = parseAllDocuments(rendered.stdout).map((doc) => doc.toJS() as RenderedDocument | null);
    const deployment = documents.find((doc) => doc?.kind === 'Deployment');
    const container = deployment?.spec?.template?.spec?.containers?.[0];
    if (!container) throw new Error(`helm template ${CHART} rendered no Deployment with a container`);
    const command = (name: 'startupProbe' | 'livenessProbe' | 'readinessProbe'): string[] => {
      const argv = container[name]?.exec?.command;
      if (!Array.isArray(argv) || argv.length === 0)
        throw new Error(`the chart's container has no ${name}.exec.command`);
      return argv;
    };
    const env: Record<string, string> = {};
    for (const source of container.envFrom ?? []) {
      if (!source.configMapRef) continue;
      const configMap = documents.find(
        (doc) => doc?.kind === 'ConfigMap' && doc.metadata?.name === source.configMapRef!.name,
      );
      if (!configMap)
        throw new Error(
          `the chart's container takes envFrom ConfigMap ${source.configMapRef.name}, which it does not render`,
        );
      for (const [name, value] of Object.entries(configMap.data ?? {}))
        env[`${source.prefix ?? ''}${name}`] = String(value);
    }
    for (const entry of container.env ?? []) if (typeof entry.value === 'string') env[entry.name] = entry.value;
    const securityContext = { ...deployment?.spec?.template?.spec?.securityContext, ...container.securityContext };
    return {
      startup: command('startupProbe'),
      liveness: command('livenessProbe'),
      readiness: command('readinessProbe'),
      env,
      securityContext,
    };
  } finally {
    rmSync(helmHome, { recursive: true, force: true });
  }
}

/**
 * What the kubelet does to an exec probe's command before running it: `$(VAR)` becomes the value of a literal env
 * entry, `$$` escapes a `$`, and a reference it cannot resolve is left as written. No shell is involved.
 */
export function expandProbeCommand(argv: readonly string[], env: Readonly<Record<string, string>>): string[] {
  return argv.map((arg) =>
    arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (ref, name?: string) =>
      name === undefined ? '$' : (env[name] ?? ref),
    ),
  );
}

/** `podman logs -f`: every stdout line so far, and a way to await one. */
export interface LogFollower {
  readonly lines: string[];
  waitFor(match: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export function followLogs(container: string): LogFollower {
  const child = spawn('podman', ['logs', '--follow', container], {
    env: PODMAN_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const wakers = new Set<() => void>();
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const wake of wakers) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'close');
  const parsed = (line: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  return {
    lines,
    waitFor: (match, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = lines.map(parsed).find((entry) => entry !== undefined && match(entry));
          if (found === undefined) return false;
          done();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `no matching log line from ${container} within ${timeoutMs} ms; logs:\n${lines.join('\n')}\n${stderr}`,
            ),
          );
        }, timeoutMs);
        const wake = (): void => void check();
        const done = (): void => {
          clearTimeout(timer);
          wakers.delete(wake);
        };
        wakers.add(wake);
        check();
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A UDP port on loopback that was free a moment ago (podman binds it for the published port). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}

/**
 * Sends a PING to 127.0.0.1:port and resolves with the decoded reply. UDP may lose a datagram, so it sends up to
 * `attempts` times, waiting `perAttemptMs` for each reply; it rejects when none came.
 */
export async function ping(
  port: number,
  requestId: number,
  { attempts = 3, perAttemptMs = 1000 } = {},
): Promise<{ reply: ReturnType<typeof decode>; bytes: Buffer }> {
  const socket = createSocket('udp4');
  try {
    socket.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const request = encode({ type: MessageType.PING, requestId, payload: Buffer.from('container') });
    for (let attempt = 1; ; attempt++) {
      const reply = once(socket, 'message', { signal: AbortSignal.timeout(perAttemptMs) });
      socket.send(request);
      try {
        const [bytes] = (await reply) as [Buffer];
        return { reply: decode(bytes), bytes };
      } catch (err) {
        if (attempt >= attempts)
          throw new Error(`no PONG from 127.0.0.1:${port} after ${attempts} PINGs`, { cause: err });
      }
    }
  } finally {
    socket.close();
  }
}
