import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createError } from '@ricochet/errors';
import { registryHost, type RegistrySettings } from './settings';

/** Every manifest type a registry may hold an image or a chart as. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

type Answer = { readonly status: number } | { readonly error: string };

/** One HTTPS request to the registry's API (the Distribution API, /v2/), trusting RICOCHET_REGISTRY_CA_FILE. */
function ask(settings: RegistrySettings, method: 'GET' | 'HEAD', path: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      `https://${registryHost(settings)}${path}`,
      {
        method,
        timeout: 5_000,
        headers: { Accept: MANIFEST_TYPES },
        ...(settings.caFile === undefined ? {} : { ca: readFileSync(settings.caFile) }),
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.once('timeout', () => req.destroy(new Error('no answer in 5 s')));
    req.once('error', (err) => resolve({ error: err.message }));
    req.end();
  });
}

/**
 * Throws UDP_ERR_DEPLOY_REGISTRY_UNREACHABLE unless the registry's API answers: 200, or 401 from one that wants
 * credentials (the engines and helm log in on their own).
 */
export async function checkRegistry(settings: RegistrySettings): Promise<void> {
  const answer = await ask(settings, 'GET', '/v2/');
  if ('error' in answer) {
    throw createError('UDP_ERR_DEPLOY_REGISTRY_UNREACHABLE', settings.registry, answer.error);
  }
  if (answer.status !== 200 && answer.status !== 401) {
    throw createError('UDP_ERR_DEPLOY_REGISTRY_UNREACHABLE', settings.registry, `GET /v2/ answered ${answer.status}`);
  }
}

/**
 * Whether the registry holds a manifest: true, false, or undefined when it will not say without credentials (the
 * pull then decides). `name` is the repository path under the registry's host, e.g. udp-server or charts/udp-server.
 */
export async function manifestExists(
  settings: RegistrySettings,
  name: string,
  reference: string,
): Promise<boolean | undefined> {
  const answer = await ask(settings, 'HEAD', `/v2/${name}/manifests/${reference}`);
  if ('error' in answer) throw createError('UDP_ERR_DEPLOY_REGISTRY_UNREACHABLE', settings.registry, answer.error);
  if (answer.status === 200) return true;
  if (answer.status === 404) return false;
  return undefined;
}

/** The repository path under the registry host: ghcr.io/acme/udp-server → acme/udp-server. */
export function repositoryPath(repository: string): string {
  return repository.split('/').slice(1).join('/');
}
