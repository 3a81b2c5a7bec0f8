import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configError } from '@ricochet/errors';
import type { StatePaths } from './layout';

/**
 * How the node's containerd reaches a registry whose certificate a private CA signed: a hosts.toml in its
 * certs.d directory (config_path in containerd's config), read at every pull, so no restart is needed. A registry
 * with a publicly trusted certificate needs nothing here; this is what a cluster admin does for a private one.
 */
export function registryHostsToml(host: string, caFile: string): string {
  const url = `https://${host}`;
  return [
    `server = ${JSON.stringify(url)}`,
    '',
    `[host.${JSON.stringify(url)}]`,
    '  capabilities = ["pull", "resolve"]',
    `  ca = ${JSON.stringify(caFile)}`,
    '',
  ].join('\n');
}

/** The registry host (host[:port]) of a RICOCHET_REGISTRY value, host[:port][/path]. */
export function registryHost(registry: string): string {
  return registry.split('/')[0] ?? registry;
}

/** Makes the node trust `caFile` for `host`: a copy of the CA and a hosts.toml beside it. Returns the directory. */
export function trustRegistry(paths: StatePaths, host: string, caFile: string): string {
  const problems = [
    ...(/^[A-Za-z0-9.-]+(:\d+)?$/.test(host) ? [] : [`registry: expected host[:port], got "${host}"`]),
    ...(existsSync(caFile) ? [] : [`CA file: ${caFile} does not exist`]),
  ];
  if (problems.length > 0) throw configError('UDP_ERR_USAGE', problems);
  const dir = join(paths.containerdHosts, host);
  mkdirSync(dir, { recursive: true });
  copyFileSync(caFile, join(dir, 'ca.crt'));
  writeFileSync(join(dir, 'hosts.toml'), registryHostsToml(host, join(dir, 'ca.crt')));
  return dir;
}

/** At `up`: trust the registry the environment names (RICOCHET_REGISTRY) when it comes with a CA file. */
export function trustConfiguredRegistry(paths: StatePaths, env: NodeJS.ProcessEnv): string | undefined {
  const registry = env['RICOCHET_REGISTRY'];
  const caFile = env['RICOCHET_REGISTRY_CA_FILE'];
  if (!registry || !caFile) return undefined;
  return trustRegistry(paths, registryHost(registry), caFile);
}
