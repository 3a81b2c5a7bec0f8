#!/usr/bin/env node
// Builds the udp-server runtime image from apps/udp-server/Dockerfile and the bundles `nx build` wrote to dist/,
// tags it <repository>:<full git commit sha>, pushes it when a registry is configured, and records what it built
// (and the digest the registry stored) in dist/images/udp-server.json. Run through Nx, which builds both bundles
// first: `npx nx run udp-server:docker`.
//
//   node apps/udp-server/docker/build-image.mjs [--engine docker|podman] [--image REF] [--base-image REF]
//       [--platform linux/amd64,linux/arm64] [--pull always|missing|never] [--output FILE] [--push | --no-push]
//       [--allow-uncommitted]
//
// One platform (the default: the engine's own) gives one image under the tag. Several give a multi-arch image
// (podman): one image per platform, tagged <tag>-<arch> locally, and a manifest list under the tag, pushed as an
// OCI index with every image in it; the record then holds the index digest (what a deployment pins) and each
// platform's digest, read back from the registry.
//
// Environment (each is an input of the Nx target, so changing one rebuilds):
//   RICOCHET_REGISTRY          host[:port][/path] to push to, e.g. ghcr.io/acme: the image is
//                              <registry>/udp-server:<sha>, pushed after the build (--no-push to skip). Unset: the
//                              image is udp-server:<sha>, local only.
//   RICOCHET_REGISTRY_CA_FILE  the CA that signed the registry's certificate, for a registry with a private CA.
//   RICOCHET_PLATFORMS         the platforms to build, as --platform (which wins), e.g. linux/amd64,linux/arm64.
//   RICOCHET_PUSH_STAND_IN_BASE=1  push even an image built on a local base stand-in (machines without a
//                              container registry for the base; see tools/offline/README.md). Recorded as such.
//   RICOCHET_BASE_IMAGE        overrides the Dockerfile's BASE_IMAGE default, e.g. to pin a digest.
//   RICOCHET_CONTAINER_ENGINE  docker or podman. Default: docker when `docker info` reaches an engine, else podman.
//
// stdout gets exactly one line, the image reference; progress and the engine's output go to stderr.
// Exit codes: 0 built (and pushed), 1 failed, 64 bad command line.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DOCKERFILE, ROOT, STAND_IN_LABEL, defaultBaseImage } from './dockerfile.mjs';
import {
  UsageError,
  detectEngine,
  imageId,
  inspectImage,
  isManifestList,
  log,
  platformTag,
  run,
  runOrThrow,
  splitReference,
} from './engine.mjs';
import { canReadIndexes, pushImage, pushIndex } from './push.mjs';

const BUNDLES = ['dist/apps/udp-server/main.js', 'dist/apps/health-probe/main.js'];
/** The batched socket I/O addon of each architecture built (the Dockerfile copies the target platform's). */
const addonOf = (arch) => `dist/libs/batched-udp/batched-udp.linux-${arch}.node`;
/** This machine's architecture as OCI platforms name it: the platform of a build without --platform. */
const HOST_ARCH = { x64: 'amd64' }[process.arch] ?? process.arch;
/** Sources whose uncommitted changes would make the image differ from the commit it is tagged with. */
const IMAGE_SOURCES = [
  'apps/udp-server/src',
  'apps/udp-server/package.json',
  'apps/udp-server/Dockerfile',
  'apps/health-probe/src',
  'apps/health-probe/package.json',
  'libs/batched-udp/native',
  'libs/batched-udp/binding.gyp',
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
/** os/arch[/variant], as the engines and the OCI image index spell a platform. */
const PLATFORM = /^linux\/[a-z0-9_]+(\/v[0-9]+)?$/;

const USAGE = `Usage: node apps/udp-server/docker/build-image.mjs [options]   (normally: npx nx run udp-server:docker)

Builds apps/udp-server/Dockerfile from the bundles in dist/ and tags it <repository>:<git commit sha>.

Options:
  --engine docker|podman         default: $RICOCHET_CONTAINER_ENGINE, else docker if \`docker info\` works, else podman
  --image REF                    full reference to tag (default: $RICOCHET_REGISTRY/udp-server:<sha>, else udp-server:<sha>)
  --base-image REF               default: $RICOCHET_BASE_IMAGE, else the Dockerfile's BASE_IMAGE default
  --platform LIST                platforms, comma-separated (default: $RICOCHET_PLATFORMS, else the engine's own);
                                 two or more make a multi-arch image (podman), e.g. linux/amd64,linux/arm64
  --pull always|missing|never    base image pull policy (default: the engine's, missing)
  --output FILE                  where to record the result (default: dist/images/udp-server.json)
  --push | --no-push             default: push when RICOCHET_REGISTRY is set
  --allow-uncommitted            push even when the image's sources differ from the commit (for throw-away
                                 registries in tests; recorded as uncommittedChanges)
  -h, --help                     show this text
`;

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

function checkBundles(arches) {
  for (const bundle of [...BUNDLES, ...arches.map(addonOf)]) {
    let size = 0;
    try {
      size = statSync(join(ROOT, bundle)).size;
    } catch {
      // reported below
    }
    if (size === 0) {
      throw new Error(
        `${bundle} is missing or empty: run \`npx nx run udp-server:docker\` (it builds it, and the addon of every ` +
          'platform in RICOCHET_PLATFORMS), or `npx nx run-many -t build -p udp-server health-probe` first',
      );
    }
  }
}

function buildArgs({ engine, image, platform, baseImage, commit, commitTime, version, pull }) {
  const args = ['build', '--file', relative(ROOT, DOCKERFILE), '--tag', image, '--network', 'none'];
  if (platform) args.push('--platform', platform);
  args.push(
    // podman and BuildKit set it; docker's classic builder does not, and the Dockerfile picks the addon by it.
    '--build-arg',
    `TARGETARCH=${platform ? platform.split('/')[1] : HOST_ARCH}`,
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

/**
 * Builds the Dockerfile for one platform (the engine's own when undefined) under `image`, and removes the image
 * that tag named before unless it is still in use. Returns the built image's inspection.
 */
function buildOne(engine, image, platform, context) {
  const previousId = imageId(engine, image);
  log(`building ${image}${platform ? ` for ${platform}` : ''} with ${engine} on ${context.baseImage}`);
  const build = run(engine, buildArgs({ engine, image, platform, ...context }), {
    stdio: ['ignore', 2, 2], // the engine's progress goes to stderr: stdout is the image reference alone
  });
  if (build.status !== 0) {
    throw new Error(
      `${engine} build failed (${build.error ? build.error.message : `exit code ${build.status}`}). ` +
        `If the base image ${context.baseImage} cannot be pulled${platform ? ` for ${platform}` : ''} (no registry), ` +
        `create a local stand-in: \`${context.standInCommand}\` (see docs/container.md).`,
    );
  }
  const built = inspectImage(engine, image);
  if (platform && !samePlatform(platform, built.platform)) {
    throw new Error(`${engine} built ${image} for ${built.platform}, not for ${platform}`);
  }
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
  return built;
}

/** Whether `actual` is the platform asked for; a variant counts only when asked for (arm64 may come as arm64/v8). */
export function samePlatform(requested, actual) {
  const [os, arch, variant] = requested.split('/');
  const [actualOs, actualArch, actualVariant] = actual.split('/');
  return os === actualOs && arch === actualArch && (variant === undefined || variant === actualVariant);
}

/**
 * Makes `image` the manifest list of `images` (platform order), replacing whatever the name held: made anew, not
 * amended, so the same images always give the same list.
 */
function createManifestList(image, images) {
  if (isManifestList('podman', image)) runOrThrow('podman', ['manifest', 'rm', image], `removing the list ${image}`);
  else if (imageId('podman', image)) runOrThrow('podman', ['image', 'rm', image], `untagging ${image}`);
  runOrThrow('podman', ['manifest', 'create', image], `creating the manifest list ${image}`);
  for (const one of images) {
    // By id: a short name (udp-server:…) is localhost/… in podman's store but docker.io/library/… to the transport.
    const stored = `containers-storage:${one.id.replace(/^sha256:/, '')}`;
    runOrThrow('podman', ['manifest', 'add', image, stored], `adding ${one.image} to ${image}`);
  }
}

export function parsePlatforms(list) {
  const platforms = [
    ...new Set(
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  ].sort();
  const wrong = platforms.filter((platform) => !PLATFORM.test(platform));
  if (wrong.length > 0) {
    throw new UsageError(`--platform takes os/arch[/variant] names such as linux/arm64, got "${wrong.join('", "')}"`);
  }
  return platforms.length === 0 ? undefined : platforms;
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
        platform: { type: 'string' },
        pull: { type: 'string' },
        output: { type: 'string' },
        push: { type: 'boolean' },
        'no-push': { type: 'boolean' },
        'allow-uncommitted': { type: 'boolean' },
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
    platforms: parsePlatforms(values.platform ?? env.RICOCHET_PLATFORMS ?? ''),
    pull: values.pull,
    output: resolve(values.output ?? DEFAULT_OUTPUT),
    push: values.push ?? (values['no-push'] ? false : repository !== undefined),
    allowUncommitted: values['allow-uncommitted'] ?? false,
    caFile: env.RICOCHET_REGISTRY_CA_FILE || undefined,
    pushStandInBase: env.RICOCHET_PUSH_STAND_IN_BASE === '1',
  };
}

/** One image under the tag: the single-platform build. */
function buildSingle(engine, image, platform, context) {
  // A multi-arch build of the same tag left a manifest list under it: the image replaces it.
  if (isManifestList(engine, image)) runOrThrow(engine, ['manifest', 'rm', image], `removing the list ${image}`);
  const built = buildOne(engine, image, platform, context);
  const base = inspectImage(engine, context.baseImage);
  return {
    id: built.id,
    standIn: built.labels[STAND_IN_LABEL] === 'true',
    // What we add is measured against the base of the same platform only (a list base inspects as this machine's).
    sizes: {
      sizeBytes: built.size,
      ...(base.platform === built.platform ? { baseSizeBytes: base.size, addedBytes: built.size - base.size } : {}),
    },
    platforms: [{ platform: built.platform, image, id: built.id, sizeBytes: built.size }],
  };
}

/** One image per platform, tagged <tag>-<arch>, and the manifest list of them under the tag (podman). */
function buildMultiArch(image, platforms, context) {
  let standIn = false;
  const built = platforms.map((platform) => {
    const platformImage = platformTag(image, platform);
    const one = buildOne('podman', platformImage, platform, context);
    standIn ||= one.labels[STAND_IN_LABEL] === 'true';
    return { platform, image: platformImage, id: one.id, sizeBytes: one.size };
  });
  createManifestList(image, built);
  log(`manifest list ${image}: ${built.map((one) => `${one.platform} ${one.id.slice(0, 19)}`).join(', ')}`);
  return { standIn, platforms: built };
}

export function buildImage(options) {
  checkBundles(options.platforms?.map((platform) => platform.split('/')[1]) ?? [HOST_ARCH]);
  const engine = options.engine ?? detectEngine();
  const multiArch = (options.platforms?.length ?? 0) > 1;
  if (multiArch && engine !== 'podman') {
    throw new Error(
      `a multi-arch image (${options.platforms.join(', ')}) is built with podman here: docker build makes one ` +
        'platform per run (use --engine podman, or one --platform)',
    );
  }
  if (multiArch && options.push && !canReadIndexes()) {
    throw new Error(
      'pushing a multi-arch image needs skopeo, to read back the digests the registry stored ' +
        '(`node tools/workspace/bootstrap.mjs apt` on Debian, or apt-get install skopeo)',
    );
  }
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

  if (options.push && dirty.length > 0 && !options.allowUncommitted) {
    throw new Error(
      `refusing to build for a push of ${image}: the image's sources have uncommitted changes, so the tag would lie about its commit (commit them, or --no-push)`,
    );
  }

  const arches = options.platforms?.map((platform) => platform.split('/')[1]);
  const context = {
    baseImage: options.baseImage,
    commit,
    commitTime,
    version,
    pull: options.pull,
    // What makes a base for these platforms on a machine that cannot pull one (tools/offline).
    standInCommand: `node tools/offline/base-image-stand-in.mjs${arches ? ` --arch ${arches.join(',')}` : ''} --if-missing`,
  };
  const started = performance.now();
  const built = multiArch
    ? buildMultiArch(image, options.platforms, context)
    : buildSingle(engine, image, options.platforms?.[0], context);
  const buildSeconds = Math.round(performance.now() - started) / 1000;
  const standInBase = built.standIn;
  if (standInBase)
    log(`warning: ${options.baseImage} is a local stand-in (label ${STAND_IN_LABEL}), fit for tests only`);

  let digest;
  let platforms = built.platforms;
  if (options.push) {
    if (standInBase && !options.pushStandInBase)
      throw new Error(
        `refusing to push ${image}: it is built on a local stand-in of ${options.baseImage}, not the real base image ` +
          '(RICOCHET_PUSH_STAND_IN_BASE=1 pushes it anyway, on machines that cannot pull the real base)',
      );
    if (multiArch) {
      const pushed = pushIndex(image, options.caFile);
      const pushedDigest = (platform) =>
        Object.entries(pushed.platforms).find(([actual]) => samePlatform(platform, actual))?.[1];
      const missing = platforms.filter((one) => pushedDigest(one.platform) === undefined);
      if (missing.length > 0) {
        throw new Error(`the index pushed as ${image} lacks ${missing.map((one) => one.platform).join(', ')}`);
      }
      digest = pushed.digest;
      platforms = platforms.map((one) => ({ ...one, digest: pushedDigest(one.platform) }));
    } else {
      digest = pushImage(engine, image, options.caFile);
      platforms = platforms.map((one) => ({ ...one, digest }));
    }
  }

  const { repository, tag } = splitReference(image);
  const record = {
    image,
    // image: one image under the tag; index: a manifest list (an OCI index once pushed) of one image per platform.
    kind: multiArch ? 'index' : 'image',
    ...(multiArch ? {} : { id: built.id }),
    commit,
    version,
    engine,
    baseImage: options.baseImage,
    standInBase,
    ...built.sizes,
    platforms,
    buildSeconds,
    uncommittedChanges: dirty.length > 0,
    pushed: digest !== undefined,
    // What a deployment pins: <repository>@<digest>, the bytes the registry stored under the commit's tag (for a
    // multi-arch image, the index: each node pulls its own platform's image from it).
    repository,
    tag,
    ...(digest === undefined ? {} : { digest }),
  };
  mkdirSync(dirname(options.output), { recursive: true });
  writeFileSync(options.output, `${JSON.stringify(record, null, 2)}\n`);
  const sizes = platforms.map((one) => `${one.platform} ${(one.sizeBytes / 1e6).toFixed(1)} MB`).join(', ');
  const added = record.addedBytes === undefined ? '' : `, ${(record.addedBytes / 1e3).toFixed(1)} kB over the base`;
  const where = options.output.startsWith(`${ROOT}/`) ? relative(ROOT, options.output) : options.output;
  log(`built ${image} in ${buildSeconds} s: ${sizes}${added}; recorded in ${where}`);
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
