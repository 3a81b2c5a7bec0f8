// Helpers for container.test.ts: podman and helm as child processes, the chart's probe commands, a log follower.
import { join } from 'node:path';
import { decode, encode, MessageType } from '@ricochet/protocol';
import {
  UdpClient,
  makeTempDir,
  run,
  runOk,
  spawnProcess,
  type Run,
  type RunOptions,
  type SpawnedProcess,
} from '@ricochet/testing';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..', '..');
export const CHART = join(ROOT, 'helm', 'udp-server');
export const STAND_IN_SCRIPT = join(ROOT, 'tools', 'offline', 'base-image-stand-in.mjs');
export const BUILD_SCRIPT = join(ROOT, 'apps', 'udp-server', 'docker', 'build-image.mjs');

/** podman reads the repo's settings (runc, no default ulimits) unless the caller chose others. */
export const PODMAN_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CONTAINERS_CONF: process.env['CONTAINERS_CONF'] ?? join(ROOT, 'tools', 'containers.conf'),
};

/** Runs from the repository's root with podman's settings; the build and stand-in scripts run this way too. */
export const IN_REPO: RunOptions = { cwd: ROOT, env: PODMAN_ENV };

/** podman with the repository's settings; never rejects for a non-zero exit. */
export const podman = (args: readonly string[], timeoutMs?: number): Promise<Run> =>
  run('podman', args, { ...IN_REPO, timeoutMs });

/** podman with the repository's settings; a non-zero exit rejects with its output. */
export const podmanOk = (args: readonly string[], timeoutMs?: number): Promise<Run> =>
  runOk('podman', args, { ...IN_REPO, timeoutMs });

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
  const helmHome = makeTempDir('container-e2e-helm');
  const helmEnv = {
    PATH: process.env['PATH'] ?? '',
    HELM_CACHE_HOME: helmHome,
    HELM_CONFIG_HOME: helmHome,
    HELM_DATA_HOME: helmHome,
  };
  // The chart renders only for a published image; the tag does not matter for what is read here.
  const rendered = await run('helm', ['template', 'ricochet-e2e', CHART, '--set-string', 'image.tag=container-e2e'], {
    cwd: ROOT,
    env: helmEnv,
  });
  if (rendered.code !== 0)
    throw new Error(`helm template ${CHART} failed (exit ${rendered.code}):\n${rendered.stderr}`);
  const documents = parseAllDocuments(rendered.stdout).map((doc) => doc.toJS() as RenderedDocument | null);
  const deployment = documents.find((doc) => doc?.kind === 'Deployment');
  const container = deployment?.spec?.template?.spec?.containers?.[0];
  if (!container) throw new Error(`helm template ${CHART} rendered no Deployment with a container`);
  const command = (name: 'startupProbe' | 'livenessProbe' | 'readinessProbe'): string[] => {
    const argv = container[name]?.exec?.command;
    if (!Array.isArray(argv) || argv.length === 0) throw new Error(`the chart's container has no ${name}.exec.command`);
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

/** `podman logs --follow`: the container's stdout lines as they come (`waitForJson` awaits one); stopped with its test. */
export const followLogs = (container: string): SpawnedProcess =>
  spawnProcess('podman', ['logs', '--follow', container], { env: PODMAN_ENV });

/**
 * Sends a PING to 127.0.0.1:port and resolves with the decoded reply. UDP may lose a datagram, so it sends up to
 * three times, waiting a second for each reply.
 */
export async function ping(
  port: number,
  requestId: number,
): Promise<{ reply: ReturnType<typeof decode>; bytes: Buffer }> {
  const client = await UdpClient.open();
  try {
    const request = encode({ type: MessageType.PING, requestId, payload: Buffer.from('container') });
    const bytes = await client.request(request, port, { attempts: 3, timeoutMs: 1000 });
    return { reply: decode(bytes), bytes };
  } finally {
    client.close();
  }
}
