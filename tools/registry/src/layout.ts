import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the local registry lives and listens. Loopback only: it serves this machine's builds and its local
 * cluster, whose containerd pulls on the host network. Every fact about its shape is stated here once.
 */
export const HOST = '127.0.0.1';
// Not 5000: on a systemd machine, installing Debian's docker-registry starts its own service there.
export const DEFAULT_PORT = 5443;

/** State (storage, certificates, config, PID file, log), removed by `down`. */
export function registryDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['XDG_STATE_HOME'] ?? join(homedir(), '.local', 'state');
  return resolve(env['RICOCHET_REGISTRY_DIR'] ?? join(state, 'ricochet', 'registry'));
}

/** The port `up` binds: RICOCHET_REGISTRY_PORT, else 5443. */
export function registryPort(env: NodeJS.ProcessEnv = process.env): number {
  const value = env['RICOCHET_REGISTRY_PORT'];
  return value === undefined || value === '' ? DEFAULT_PORT : Number(value);
}

export function registryPaths(dir: string) {
  return {
    dir,
    storage: join(dir, 'storage'),
    config: join(dir, 'config.yml'),
    /** The CA certificate alone in its directory: clients that take a directory of CAs read only it. */
    caCertificate: join(dir, 'ca', 'ca.crt'),
    tls: join(dir, 'tls'),
    /** What `up` started: the address and CA, for `status`, `env` and `down` whatever the environment says now. */
    record: join(dir, 'registry.json'),
    run: join(dir, 'run'),
    logs: join(dir, 'logs'),
  };
}

export type RegistryPaths = ReturnType<typeof registryPaths>;
