#!/usr/bin/env node
// Builds the batched-udp addon with node-gyp against the headers of the Node that runs this script (its own
// include/node: the official tarballs and the npm `node-linux-*` packages ship them), so nothing is downloaded.
// Node-API headers are the same for every architecture, so another architecture is a cross compiler away.
//
//   node libs/batched-udp/scripts/build-native.mjs [--arch amd64,arm64]
//
// Writes dist/libs/batched-udp/batched-udp.linux-<arch>.node per architecture, named as OCI platforms name them
// (amd64, arm64), so that the Dockerfile copies the one of the platform it builds (TARGETARCH). The architectures:
// --arch, else this machine's and those of $RICOCHET_PLATFORMS (the multi-arch image's). Another than this
// machine's is cross-compiled with Debian's gcc-<triplet> (apt-get install gcc-aarch64-linux-gnu).
// Run it through Nx: `npx nx run batched-udp:build-native`.
//
// Linux only (recvmmsg/sendmmsg): elsewhere it says so and builds nothing, and the server uses dgram.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const PROJECT = resolve(import.meta.dirname, '..');
const ROOT = resolve(PROJECT, '..', '..');
const OUTPUT_DIR = join(ROOT, 'dist', 'libs', 'batched-udp');
/** OCI architecture → node-gyp's --arch (Node's process.arch) and the GNU triplet of its cross compiler. */
const ARCHITECTURES = {
  amd64: { node: 'x64', triplet: 'x86_64-linux-gnu' },
  arm64: { node: 'arm64', triplet: 'aarch64-linux-gnu' },
};

function fail(message) {
  process.stderr.write(`batched-udp: ${message}\n`);
  process.exit(1);
}

/** The architectures asked for: --arch, else this machine's plus $RICOCHET_PLATFORMS'. */
function architectures() {
  const { values } = parseArgs({ options: { arch: { type: 'string' } } });
  const host = Object.keys(ARCHITECTURES).find((arch) => ARCHITECTURES[arch].node === process.arch);
  if (!values.arch && host === undefined) {
    process.stderr.write(`batched-udp: no build for ${process.arch} machines yet; the server uses dgram here.\n`);
  }
  const listed = values.arch
    ? values.arch.split(',')
    : [host, ...(process.env.RICOCHET_PLATFORMS ?? '').split(',').map((platform) => platform.split('/')[1])];
  const wanted = [...new Set(listed.map((arch) => arch?.trim()).filter(Boolean))];
  const unknown = wanted.filter((arch) => !(arch in ARCHITECTURES));
  if (unknown.length > 0) {
    fail(`no build for architecture ${unknown.join(', ')}: expected ${Object.keys(ARCHITECTURES).join(' or ')}`);
  }
  return { host, wanted };
}

function build(arch, host, nodeDir, nodeGyp) {
  const { node, triplet } = ARCHITECTURES[arch];
  const env = { ...process.env };
  if (arch !== host) {
    const compiler = `${triplet}-gcc`;
    if (spawnSync(compiler, ['--version'], { stdio: 'ignore' }).status !== 0) {
      fail(
        `no cross compiler for ${arch}: \`${compiler}\` was not found on PATH. Install it ` +
          `(Debian: apt-get install gcc-${triplet}), or leave ${arch} out of --arch / RICOCHET_PLATFORMS`,
      );
    }
    // The addon is C only: the compiler links it too.
    Object.assign(env, { CC: compiler, CXX: compiler, LINK: compiler, AR: `${triplet}-ar` });
  }
  const args = [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, `--arch=${node}`, '--release', '--loglevel=warn'];
  const gyp = spawnSync(process.execPath, args, { cwd: PROJECT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (gyp.error) fail(`could not run node-gyp: ${gyp.error.message}`);
  if (gyp.status !== 0) {
    fail(
      `node-gyp failed for ${arch} (exit ${gyp.status}); it needs python3, make and a C compiler (Debian: apt-get install python3 make gcc)`,
    );
  }
  const output = join(OUTPUT_DIR, `batched-udp.linux-${arch}.node`);
  // By rename: a running server may have the old file mapped, and rewriting it in place would crash that server.
  copyFileSync(join(PROJECT, 'build', 'Release', 'batched_udp.node'), `${output}.tmp`);
  renameSync(`${output}.tmp`, output);
  rmSync(join(PROJECT, 'build'), { recursive: true, force: true });
  process.stderr.write(`batched-udp: built ${relative(ROOT, output)} for Node ${process.version}\n`);
}

if (process.platform !== 'linux') {
  process.stderr.write(
    `batched-udp: not built on ${process.platform}: the addon needs Linux (recvmmsg/sendmmsg). The server uses dgram.\n`,
  );
  process.exit(0);
}

const nodeDir = resolve(dirname(process.execPath), '..');
if (!existsSync(join(nodeDir, 'include', 'node', 'node_api.h'))) {
  fail(
    `no Node headers at ${join(nodeDir, 'include', 'node')}: this Node (${process.execPath}) was installed without ` +
      'them. Use an official Node build (nodejs.org tarball, or `node tools/workspace/bootstrap.mjs node`).',
  );
}
const nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
const { host, wanted } = architectures();
// The addon is optional (SOCKET_IO=auto serves with dgram without it), so a machine without a build toolchain can
// still `npm start`. Under CI=true, where the tests need it, a missing tool fails the build instead.
const missing = ['python3', 'make', 'cc'].filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error);
if (missing.length > 0) {
  const message =
    `not built: ${missing.join(', ')} not found on PATH (Debian: apt-get install python3 make gcc, or ` +
    '`node tools/workspace/bootstrap.mjs apt` as root)';
  if (process.env.CI === 'true') fail(message);
  process.stderr.write(`batched-udp: ${message}; the server uses dgram (SOCKET_IO=auto).\n`);
  process.exit(0);
}
mkdirSync(OUTPUT_DIR, { recursive: true });
for (const arch of wanted) build(arch, host, nodeDir, nodeGyp);
