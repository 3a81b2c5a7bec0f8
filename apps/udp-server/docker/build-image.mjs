#!/usr/bin/env node
// Builds the udp-server runtime image from apps/udp-server/Dockerfile and the bundles `nx build` wrote to dist/,
// tags it <repository>:<full git commit sha>, pushes it when a registry is configured, and records what it built
// (and the digest the registry stored) in dist/images/udp-server.json. Run through Nx, which builds both bundles
// first: `npx nx run udp-server:docker`.
//
//   node apps/udp-server/docker/build-image.mjs [--engine docker|podman] [--image REF] [--base-image REF]
//       [--pull always|missing|never] [--output FILE] [--push | --no-push]
//
// Environment (each is an input of the Nx target, so changing one rebuilds):
//   RICOCHET_REGISTRY          host[:port][/path] to push to, e.g. ghcr.io/acme: the image is
//                              <registry>/udp-server:<sha>, pushed after the build (--no-push to skip). Unset: the
//                              image is udp-server:<sha>, local only.
//   RICOCHET_REGISTRY_CA_FILE  the CA that signed the registry's certificate, for a registry with a private CA.
//   RICOCHET_PUSH_STAND_IN_BASE=1  push even an image built on a local base stand-in (machines without a
//                              container registry for the base; see tools/offline/README.md). Recorded as such.
//   RICOCHET_BASE_IMAGE        overrides the Dockerfile's BASE_IMAGE default, e.g. to pin a digest.
//   RICOCHET_CONTAINER_ENGINE  docker or podman. Default: docker when `docker info` reaches an engine, else podman.
//
// stdout gets exactly one line, the image reference; progress and the engine's output go to stderr.
// Exit codes: 0 built (and pushed), 1 failed, 64 bad command line.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DOCKERFILE, ROOT, STAND_IN_LABEL, defaultBaseImage } from './dockerfile.mjs';

const BUNDLES = ['dist/apps/udp-server/main.js', 'dist/apps/health-probe/main.js'];
/** Sources whose uncommitted changes would make the image differ from the commit it is tagged with. */
const IMAGE_SOURCES = [
  'apps/udp-server/src',
  'apps/udp-server/package.json',
  'apps/udp-server/Dockerfile',
  'apps/health-probe/src',
  'apps/health-probe/package.json',
  ':(glob)libs/*/src/**',
  ':(glob)libs/*/package.json',
  'package-lock.json',
  'tsconfig.base.json',
  '.dockerignore',
  ':(exclude,glob)**/*.test.ts',
];
const IMAGE_NAME = 'udp-server';
const DEFAULT_OUTPUT = join(ROOT, 'dist', 'images', 'udp-server.json');
const PULL_POLICIES = ['always', 'missing', 'never'];

const USAGE = `Usage: node apps/udp-server/docker/build-image.mjs [options]   (normally: npx nx run udp-server:docker)

Builds apps/udp-server/Dockerfile from the bundles in dist/ and tags it <repository>:<git commit sha>.

Options:
  --engine docker|podman         default: $RICOCHET_CONTAINER_ENGINE, else docker if \`docker info\` works, else podman
  --image REF                    full reference to tag (default: $RICOCHET_REGISTRY/udp-server:<sha>, else udp-server:<sha>)
  --base-image REF               default: $RICOCHET_BASE_IMAGE, else the Dockerfile's BASE_IMAGE default
  --pull always|missing|never    base image pull policy (default: the engine's, missing)
  --output FILE                  where to record the result (default: dist/images/udp-server.json)
  --push | --no-push             default: push when RICOCHET_REGISTRY is set
  -h, --help                     show this text
`;

class UsageError extends Error {}

function log(message) {
  process.stderr.write(`[build-image] ${message}\n`);
}

/** Runs a command to completion; returns { status, stdout, stderr } (status null when it could not start). */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return {
    status: result.error ? null : result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    error: result.error,
  };
}

function runOrThrow(command, args, what, options) {
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

function gitCommit() {
  const result = run('git', ['rev-parse', '--verify', 'HEAD']);
  if (result.status !== 0)
    throw new Error(
      `cannot read the git commit to tag the image with (git rev-parse HEAD): ${result.stderr.trim() || result.error?.message}`,
    );
  return result.stdout.trim();
}

/** Paths under IMAGE_SOURCES that differ from HEAD (modified, staged or untracked). */
function uncommittedSources() {
  const output = runOrThrow('git', ['status', '--porcelain', '--', ...IMAGE_SOURCES], 'git status');
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}

function checkBundles() {
  for (const bundle of BUNDLES) {
    let size = 0;
    try {
      size = statSync(join(ROOT, bundle)).size;
    } catch {
      // reported below
    }
    if (size === 0) {
      throw new Error(
        `${bundle} is missing or empty: run \`npx nx run udp-server:docker\` (it builds it), or \`npx nx run-many -t build -p udp-server health-probe\` first`,
      );
    }
  }
}

function inspectImage(engine, ref) {
  const output = runOrThrow(engine, ['image', 'inspect', ref], `inspecting ${ref}`);
  const [image] = JSON.parse(output);
  if (!image) throw new Error(`${engine} image inspect ${ref} returned nothing`);
  const id = String(image.Id);
  return {
    id: id.startsWith('sha256:') ? id : `sha256:${id}`,
    size: Number(image.Size),
    labels: image.Config?.Labels ?? image.Labels ?? {},
  };
}

/**
 * Pushes `image` and returns the manifest digest the registry stored. podman writes it to --digestfile and takes
 * a private CA through --cert-dir; docker reads its CAs from /etc/docker/certs.d and reports the digest among the
 * image's RepoDigests.
 */
function pushImage(engine, image, caFile) {
  log(`pushing ${image}`);
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'ricochet-push-'));
  try {
    if (engine === 'podman') {
      const args = ['push', '--digestfile', join(work, 'digest')];
      if (caFile) {
        mkdirSync(join(work, 'certs'));
        copyFileSync(caFile, join(work, 'certs', 'ca.crt'));
        args.push('--cert-dir', join(work, 'certs'));
      }
      runOrThrow(engine, [...args, image], `pushing ${image}`, { stdio: ['ignore', 2, 'pipe'] });
      const digest = readFileSync(join(work, 'digest'), 'utf8').trim();
      log(`pushed ${image}: ${digest} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return digest;
    }
    if (caFile) log(`docker reads registry CAs from /etc/docker/certs.d/<host>/ca.crt, not ${caFile}`);
    runOrThrow(engine, ['push', image], `pushing ${image}`, { stdio: ['ignore', 2, 'pipe'] });
    const repository = image.slice(0, image.lastIndexOf(':'));
    const digests = JSON.parse(runOrThrow(engine, ['image', 'inspect', '--format', '{{json .RepoDigests}}', image]));
    const found = digests.find((ref) => ref.startsWith(`${repository}@`));
    if (!found) throw new Error(`docker pushed ${image} but lists no digest for ${repository}`);
    return found.slice(repository.length + 1);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function buildArgs({ engine, image, baseImage, commit, commitTime, version, pull }) {
  const args = ['build', '--file', relative(ROOT, DOCKERFILE), '--tag', image, '--network', 'none'];
  args.push(
    '--build-arg',
    `RICOCHET_COMMIT=${commit}`,
    '--build-arg',
    `RICOCHET_VERSION=${version}`,
    '--build-arg',
    `BASE_IMAGE=${baseImage}`,
  );
  if (engine === 'podman') {
    // One layer for everything this Dockerfile adds, and no intermediate images left in the store.
    args.push('--layers=false');
    // Reproducible: file and config times are the commit's, so rebuilding a commit gives the same digest, and a
    // commit is published once whatever rebuilds it.
    args.push('--timestamp', commitTime);
    if (pull) args.push(`--pull=${pull}`);
  } else if (pull === 'always') {
    args.push('--pull');
  } else if (pull === 'never') {
    log('docker build has no --pull=never: a base image missing locally will be pulled');
  }
  args.push('.');
  return args;
}

export function parseOptions(argv, env = process.env) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        engine: { type: 'string' },
        image: { type: 'string' },
        'base-image': { type: 'string' },
        pull: { type: 'string' },
        output: { type: 'string' },
        push: { type: 'boolean' },
        'no-push': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(err.message);
  }
  if (values.engine !== undefined && values.engine !== 'docker' && values.engine !== 'podman') {
    throw new UsageError(`--engine must be docker or podman, got "${values.engine}"`);
  }
  if (values.pull !== undefined && !PULL_POLICIES.includes(values.pull)) {
    throw new UsageError(`--pull must be one of ${PULL_POLICIES.join(', ')}, got "${values.pull}"`);
  }
  if (values.push && values['no-push']) throw new UsageError('--push and --no-push contradict each other');
  const registry = (env.RICOCHET_REGISTRY || '').replace(/\/+$/, '') || undefined;
  const repository = registry === undefined ? undefined : `${registry}/${IMAGE_NAME}`;
  return {
    help: values.help ?? false,
    engine: values.engine,
    image: values.image,
    repository,
    baseImage: values['base-image'] ?? (env.RICOCHET_BASE_IMAGE || defaultBaseImage()),
    pull: values.pull,
    output: resolve(values.output ?? DEFAULT_OUTPUT),
    push: values.push ?? (values['no-push'] ? false : repository !== undefined),
    caFile: env.RICOCHET_REGISTRY_CA_FILE || undefined,
    pushStandInBase: env.RICOCHET_PUSH_STAND_IN_BASE === '1',
  };
}

export function buildImage(options) {
  checkBundles();
  const engine = options.engine ?? detectEngine();
  const commit = gitCommit();
  const commitTime = runOrThrow('git', ['show', '-s', '--format=%ct', commit], 'git show').trim();
  const version = JSON.parse(readFileSync(join(ROOT, 'apps', 'udp-server', 'package.json'), 'utf8')).version;
  const image = options.image ?? `${options.repository ?? IMAGE_NAME}:${commit}`;
  const dirty = uncommittedSources();
  if (dirty.length > 0) {
    log(
      `warning: ${dirty.length} uncommitted change(s) under the image's sources; the image is tagged ${commit.slice(0, 12)} but may not match it: ${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}`,
    );
  }

  if (options.push && dirty.length > 0) {
    throw new Error(
      `refusing to build for a push of ${image}: the image's sources have uncommitted changes, so the tag would lie about its commit (commit them, or --no-push)`,
    );
  }

  const previous = run(engine, ['image', 'inspect', '--format', '{{.Id}}', image]);
  const previousId = previous.status === 0 ? previous.stdout.trim() : undefined;

  log(`building ${image} with ${engine} on ${options.baseImage}`);
  const started = performance.now();
  const build = run(
    engine,
    buildArgs({ engine, image, baseImage: options.baseImage, commit, commitTime, version, pull: options.pull }),
    {
      stdio: ['ignore', 2, 2], // the engine's progress goes to stderr: stdout is the image reference alone
    },
  );
  if (build.status !== 0) {
    throw new Error(
      `${engine} build failed (${build.error ? build.error.message : `exit code ${build.status}`}). ` +
        `If the base image ${options.baseImage} cannot be pulled (no registry), create a local stand-in: ` +
        '`node tools/offline/base-image-stand-in.mjs --if-missing` (see docs/container.md).',
    );
  }
  const buildSeconds = Math.round(performance.now() - started) / 1000;

  const built = inspectImage(engine, image);
  if (previousId && !built.id.endsWith(previousId.replace(/^sha256:/, ''))) {
    // The image this tag named before is now untagged: remove it rather than leave it dangling. Without force, so
    // an image that a container still uses, or that carries another tag, stays.
    const removed = run(engine, ['image', 'rm', previousId]);
    log(
      removed.status === 0
        ? `removed the image ${image} named before (${previousId.slice(0, 19)})`
        : `kept the image ${image} named before (${previousId.slice(0, 19)}): still in use or tagged`,
    );
  }
  const base = inspectImage(engine, options.baseImage);
  const standInBase = built.labels[STAND_IN_LABEL] === 'true';
  if (standInBase)
    log(`warning: ${options.baseImage} is a local stand-in (label ${STAND_IN_LABEL}), fit for tests only`);

  let digest;
  if (options.push) {
    if (standInBase && !options.pushStandInBase)
      throw new Error(
        `refusing to push ${image}: it is built on a local stand-in of ${options.baseImage}, not the real base image ` +
          '(RICOCHET_PUSH_STAND_IN_BASE=1 pushes it anyway, on machines that cannot pull the real base)',
      );
    digest = pushImage(engine, image, options.caFile);
  }

  const record = {
    image,
    id: built.id,
    commit,
    version,
    engine,
    baseImage: options.baseImage,
    standInBase,
    sizeBytes: built.size,
    baseSizeBytes: base.size,
    addedBytes: built.size - base.size,
    buildSeconds,
    uncommittedChanges: dirty.length > 0,
    pushed: digest !== undefined,
    // What a deployment pins: <repository>@<digest>, the bytes the registry stored under the commit's tag.
    repository: image.slice(0, image.lastIndexOf(':')),
    tag: image.slice(image.lastIndexOf(':') + 1),
    ...(digest === undefined ? {} : { digest }),
  };
  mkdirSync(dirname(options.output), { recursive: true });
  writeFileSync(options.output, `${JSON.stringify(record, null, 2)}\n`);
  log(
    `built ${image} (${built.id.slice(0, 19)}) in ${buildSeconds} s: ${(built.size / 1e6).toFixed(1)} MB, ` +
      `${(record.addedBytes / 1e3).toFixed(1)} kB over the base; recorded in ${options.output.startsWith(`${ROOT}/`) ? relative(ROOT, options.output) : options.output}`,
  );
  return record;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  try {
    const options = parseOptions(process.argv.slice(2));
    if (options.help) {
      process.stdout.write(USAGE);
    } else {
      process.stdout.write(`${buildImage(options).image}\n`);
    }
  } catch (err) {
    process.stderr.write(`build-image: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = err instanceof UsageError ? 64 : 1;
  }
}
