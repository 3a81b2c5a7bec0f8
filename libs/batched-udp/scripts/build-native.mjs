#!/usr/bin/env node
// Builds the batched-udp addon with node-gyp against the headers of the Node that runs this script (its own
// include/node: the official tarballs and the npm `node-linux-*` packages ship them), so nothing is downloaded.
// Writes dist/libs/batched-udp/batched-udp.<platform>-<arch>.node. Run it through Nx: `npx nx run batched-udp:build-native`.
//
// Linux only (recvmmsg/sendmmsg): elsewhere it says so and builds nothing, and the server uses dgram.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const PROJECT = resolve(import.meta.dirname, '..');
const ROOT = resolve(PROJECT, '..', '..');
const OUTPUT_DIR = join(ROOT, 'dist', 'libs', 'batched-udp');
const OUTPUT = join(OUTPUT_DIR, `batched-udp.${process.platform}-${process.arch}.node`);

function fail(message) {
  process.stderr.write(`batched-udp: ${message}\n`);
  process.exit(1);
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
const gyp = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, '--release', '--loglevel=warn'], {
  cwd: PROJECT,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (gyp.error) fail(`could not run node-gyp: ${gyp.error.message}`);
if (gyp.status !== 0) {
  fail(
    `node-gyp failed (exit ${gyp.status}); it needs python3, make and a C compiler (Debian: apt-get install python3 make gcc)`,
  );
}
mkdirSync(OUTPUT_DIR, { recursive: true });
copyFileSync(join(PROJECT, 'build', 'Release', 'batched_udp.node'), OUTPUT);
rmSync(join(PROJECT, 'build'), { recursive: true, force: true });
process.stderr.write(`batched-udp: built ${relative(ROOT, OUTPUT)} for Node ${process.version}\n`);
