import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  forgetProcess,
  httpGet,
  isAlive,
  logFile,
  logTail,
  pollUntil,
  running,
  startProcess,
  stopProcess,
  type ProcessRecord,
} from '@ricochet/daemon';
import { createError } from '@ricochet/errors';
import { registryConfig } from './config-file';
import { HOST, registryDir, registryPaths, registryPort, type RegistryPaths } from './layout';
import { findOnPath } from './run';
import { ensureTls } from './tls';

const DAEMON = 'docker-registry';
const READY_TIMEOUT_MS = 20_000;

/** What clients need to use the registry: the two settings every Ricochet tool reads. */
export interface RegistryEndpoint {
  /** host:port, the value of RICOCHET_REGISTRY. */
  readonly address: string;
  /** The CA that signed its certificate, the value of RICOCHET_REGISTRY_CA_FILE. */
  readonly caFile: string;
}

export function shellExports(endpoint: RegistryEndpoint): string {
  return `export RICOCHET_REGISTRY=${endpoint.address}\nexport RICOCHET_REGISTRY_CA_FILE=${endpoint.caFile}\n`;
}

function readEndpoint(paths: RegistryPaths): RegistryEndpoint | undefined {
  try {
    return JSON.parse(readFileSync(paths.record, 'utf8')) as RegistryEndpoint;
  } catch {
    return undefined;
  }
}

/** The API's base check: 200 (or 401 behind authentication) means a registry answers. */
async function apiAnswers(endpoint: RegistryEndpoint): Promise<boolean> {
  return (await httpGet(`https://${endpoint.address}/v2/`, { ca: readFileSync(endpoint.caFile) }))?.status === 200;
}

/** Starts the registry unless it runs already; resolves once it answers over TLS. */
export async function up(env: NodeJS.ProcessEnv = process.env): Promise<RegistryEndpoint> {
  const paths = registryPaths(registryDir(env));
  const existing = running(paths, DAEMON);
  const recorded = readEndpoint(paths);
  if (existing !== undefined && recorded !== undefined) return recorded;

  const binary = findOnPath(DAEMON, env['PATH']);
  if (binary === undefined) throw createError('UDP_ERR_REGISTRY_TOOL_MISSING', DAEMON, 'docker-registry');
  if (findOnPath('openssl', env['PATH']) === undefined) {
    throw createError('UDP_ERR_REGISTRY_TOOL_MISSING', 'openssl', 'openssl');
  }
  const port = registryPort(env);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw createError('UDP_ERR_REGISTRY_FAILED', `RICOCHET_REGISTRY_PORT must be a port from 1 to 65535, got ${port}`);
  }
  const endpoint: RegistryEndpoint = { address: `${HOST}:${port}`, caFile: paths.caCertificate };
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  ensureTls(paths, HOST);
  writeFileSync(paths.config, registryConfig(paths, endpoint.address));
  writeFileSync(paths.record, `${JSON.stringify(endpoint)}\n`);
  const record = startProcess(paths, DAEMON, binary, ['serve', paths.config]);
  // Stop waiting early when the process exits (a taken port): its log says why.
  await pollUntil(async () => !isAlive(record) || (await apiAnswers(endpoint)), READY_TIMEOUT_MS);
  if (!isAlive(record) || !(await apiAnswers(endpoint))) {
    await stopProcess(record);
    forgetProcess(paths, DAEMON);
    throw createError(
      'UDP_ERR_REGISTRY_FAILED',
      `${DAEMON} did not answer on https://${endpoint.address}/v2/ within ${READY_TIMEOUT_MS / 1000} s ` +
        `(is the port taken? set RICOCHET_REGISTRY_PORT). Its log, ${logFile(paths, DAEMON)}:\n` +
        logTail(logFile(paths, DAEMON)),
    );
  }
  return endpoint;
}

export interface DownReport {
  readonly stopped: ProcessRecord | undefined;
  readonly removed: boolean;
}

/** Stops exactly the registry `up` started (by its PID file) and removes its state, images included. */
export async function down(env: NodeJS.ProcessEnv = process.env): Promise<DownReport> {
  const paths = registryPaths(registryDir(env));
  const record = running(paths, DAEMON);
  if (record !== undefined) await stopProcess(record);
  const removed = existsSync(paths.dir);
  rmSync(paths.dir, { recursive: true, force: true });
  return { stopped: record, removed };
}

export interface RegistryStatus {
  readonly dir: string;
  readonly pid: number | undefined;
  readonly endpoint: RegistryEndpoint | undefined;
  readonly answers: boolean;
  /** Repositories in the registry (its catalog), when it answers. */
  readonly repositories: readonly string[];
}

export async function status(env: NodeJS.ProcessEnv = process.env): Promise<RegistryStatus> {
  const paths = registryPaths(registryDir(env));
  const record = running(paths, DAEMON);
  const endpoint = readEndpoint(paths);
  const answers = record !== undefined && endpoint !== undefined && (await apiAnswers(endpoint));
  let repositories: string[] = [];
  if (answers && endpoint !== undefined) {
    const catalog = await httpGet(`https://${endpoint.address}/v2/_catalog`, { ca: readFileSync(endpoint.caFile) });
    repositories = (JSON.parse(catalog?.body || '{}') as { repositories?: string[] }).repositories ?? [];
  }
  return { dir: paths.dir, pid: record?.pid, endpoint, answers, repositories };
}
