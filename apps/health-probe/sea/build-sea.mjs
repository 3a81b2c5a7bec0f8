#!/usr/bin/env node
// Builds the health probe as one executable file (Node's single executable applications): the bundle `nx build`
// wrote, injected into a copy of the Node binary that runs this script (under Nx, Node 24 from .tools/node24).
// Where it runs it needs no Node, no npm and no checkout. Run through Nx, which builds the bundle first:
// `npx nx run health-probe:sea`.
//
// stdout gets one line, the executable's path; progress goes to stderr. Exit 0 built and checked, 1 failed.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BUNDLE = join(ROOT, 'dist', 'apps', 'health-probe', 'main.js');
/** One file per platform: the Node binary inside is that platform's. */
const OUTPUT = join(ROOT, 'dist', 'sea', `health-probe-${process.platform}-${process.arch}`);
/** The fuse Node's binary carries for the injector to flip; read from the binary, not copied from its docs. */
const FUSE = /NODE_SEA_FUSE_[0-9a-f]{32}/;

function log(message) {
  process.stderr.write(`[sea] ${message}\n`);
}

function fail(message) {
  log(`error: ${message}`);
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) fail(`${command}: ${result.error.message}`);
  if (result.status !== 0)
    fail(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

async function main() {
  // macOS and Windows need the binary's signature removed and restored around the injection; only Linux is
  // built and tested here (see the Node docs on single executable applications for the other two).
  if (process.platform !== 'linux') fail(`building on ${process.platform} is not supported; build on Linux`);
  if (!existsSync(BUNDLE))
    fail(`${relative(ROOT, BUNDLE)} is missing: run \`npx nx run health-probe:sea\`, which builds it first`);

  const node = process.execPath;
  const fuse = FUSE.exec(readFileSync(node, 'latin1'))?.[0];
  if (fuse === undefined) fail(`${node} (Node ${process.version}) has no single-executable fuse`);

  const work = mkdtempSync(join(tmpdir(), 'ricochet-sea-'));
  try {
    const blob = join(work, 'health-probe.blob');
    const config = join(work, 'sea-config.json');
    writeFileSync(
      config,
      JSON.stringify({
        main: BUNDLE,
        output: blob,
        // The probe is a product, not a demo: no "experimental feature" line on stderr of every run.
        disableExperimentalSEAWarning: true,
        // V8's code cache of the bundle, made now: start-up matters for a probe run every few seconds.
        useCodeCache: true,
      }),
    );
    run(node, ['--experimental-sea-config', config]);

    mkdirSync(dirname(OUTPUT), { recursive: true });
    rmSync(OUTPUT, { force: true });
    copyFileSync(node, OUTPUT);
    chmodSync(OUTPUT, 0o755);
    const { inject } = createRequire(import.meta.url)('postject');
    log("injecting; postject's warnings about string offsets of .note sections are harmless");
    await inject(OUTPUT, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: fuse });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  // It must run by itself: ask it its version, with no Node on PATH.
  const version = spawnSync(OUTPUT, ['--version'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
  if (version.status !== 0 || !version.stdout.startsWith('health-probe ')) {
    fail(`the executable does not run: exit ${version.status}\n${version.stderr}${version.stdout}`);
  }
  log(`${version.stdout.trim()}, Node ${process.version}: ${(statSync(OUTPUT).size / 1e6).toFixed(1)} MB`);
  process.stdout.write(`${relative(ROOT, OUTPUT)}\n`);
}

await main();
