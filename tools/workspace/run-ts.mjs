#!/usr/bin/env node
// Runs a TypeScript entry point (a benchmark, a deploy tool, a docs generator) the way the apps are built:
// bundled by esbuild with the workspace's `@ricochet/source` condition, then executed by this Node.
// Usage: node tools/workspace/run-ts.mjs <entry.ts> [args…]
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node tools/workspace/run-ts.mjs <entry.ts> [args…]\n');
  process.exit(64);
}

const root = resolve(import.meta.dirname, '..', '..');
const outDir = join(root, 'tmp', 'run-ts');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, `${basename(entry, '.ts')}-${process.pid}.cjs`);

await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  conditions: ['@ricochet/source'],
  sourcemap: 'inline',
  logLevel: 'warning',
});

const result = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
rmSync(outfile, { force: true });
process.exitCode = result.status ?? 1;
