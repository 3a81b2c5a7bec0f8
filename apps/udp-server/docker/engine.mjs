// The container engine as build-image.mjs and push.mjs drive it: running commands, choosing docker or podman,
// and reading what an image or a manifest list holds.
import { spawnSync } from 'node:child_process';
import { ROOT } from './dockerfile.mjs';

export class UsageError extends Error {}

export function log(message) {
  process.stderr.write(`[build-image] ${message}\n`);
}

/** Runs a command to completion; returns { status, stdout, stderr } (status null when it could not start). */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return {
    status: result.error ? null : result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    error: result.error,
  };
}

export function runOrThrow(command, args, what, options) {
  const result = run(command, args, options);
  if (result.status !== 0) {
    const cause = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(
      `${what} failed (${command} ${args.join(' ')}: ${cause})${result.stderr ? `:\n${result.stderr.trim()}` : ''}`,
    );
  }
  return result.stdout;
}

/** docker when its CLI reaches an engine, else podman; a clear error when neither can build. */
export function detectEngine(env = process.env) {
  const forced = env.RICOCHET_CONTAINER_ENGINE;
  if (forced) {
    if (forced !== 'docker' && forced !== 'podman')
      throw new UsageError(`RICOCHET_CONTAINER_ENGINE must be docker or podman, got "${forced}"`);
    return forced;
  }
  const docker = run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 });
  if (docker.status === 0) return 'docker';
  const podman = run('podman', ['--version']);
  if (podman.status === 0) {
    log(
      `using podman: ${docker.status === null ? 'no docker CLI' : 'the docker CLI reaches no engine (`docker info` failed)'}`,
    );
    return 'podman';
  }
  throw new Error(
    'no container engine: `docker info` failed (no docker CLI, or no engine behind it) and podman is not installed. ' +
      'Start a docker engine, or install podman (`node tools/workspace/bootstrap.mjs apt` on Debian).',
  );
}

/** A stored image: its id, size, labels and platform (os/arch[/variant]). */
export function inspectImage(engine, ref) {
  const output = runOrThrow(engine, ['image', 'inspect', ref], `inspecting ${ref}`);
  const [image] = JSON.parse(output);
  if (!image) throw new Error(`${engine} image inspect ${ref} returned nothing`);
  const id = String(image.Id);
  return {
    id: id.startsWith('sha256:') ? id : `sha256:${id}`,
    size: Number(image.Size),
    labels: image.Config?.Labels ?? image.Labels ?? {},
    platform: [image.Os, image.Architecture, image.Variant].filter(Boolean).join('/'),
  };
}

/** The id of the image stored under `ref`, or undefined. */
export function imageId(engine, ref) {
  const found = run(engine, ['image', 'inspect', '--format', '{{.Id}}', ref]);
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Whether `ref` names a manifest list in podman's store (docker keeps none locally). */
export const isManifestList = (engine, ref) =>
  engine === 'podman' && run(engine, ['manifest', 'exists', ref]).status === 0;

/** <repository>:<tag> split at the tag's colon, not a registry port's; no tag means latest. */
export function splitReference(ref) {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash
    ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { repository: ref, tag: 'latest' };
}

/** Where a multi-arch image's platform image is tagged locally: <repository>:<tag>-<arch>[-<variant>]. */
export function platformTag(image, platform) {
  const { repository, tag } = splitReference(image);
  return `${repository}:${tag}-${platform.split('/').slice(1).join('-')}`;
}
