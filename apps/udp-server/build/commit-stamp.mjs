#!/usr/bin/env node
// The commit the udp-server bundle is built from, as it is stamped into the bundle (esbuild.config.mjs) and shown
// by ricochet_build_info{commit}: the full sha of HEAD; `<sha>-dirty` when the bundle's sources differ from it
// (modified, staged or untracked); `unknown` outside a git checkout (or without git).
//
//   node apps/udp-server/build/commit-stamp.mjs   prints the stamp for the checkout in the working directory
//
// It is also a `runtime` input of `nx run udp-server:build`, so the stamp is part of the build's hash: a new commit,
// or a tree turning dirty or clean, rebuilds the bundle instead of restoring one stamped otherwise from the cache.
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What goes into the bundle: its code, the libraries it bundles, the dependency versions and build settings. */
export const BUNDLE_SOURCES = [
  'apps/udp-server/src',
  'apps/udp-server/build',
  'apps/udp-server/package.json',
  'apps/udp-server/tsconfig.app.json',
  ':(glob)libs/*/src/**',
  ':(glob)libs/*/package.json',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'nx.json',
  ':(exclude,glob)**/*.test.ts',
  // Test helpers only: product code may not import them (eslint), so they are never bundled.
  ':(exclude)libs/testing',
];

function git(root, args) {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The stamp for the git checkout at `root`. */
export function commitStamp(root) {
  const commit = git(root, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  const changes = git(root, ['status', '--porcelain', '--untracked-files=all', '--', ...BUNDLE_SOURCES]);
  if (commit === undefined || changes === undefined) return 'unknown';
  return changes === '' ? commit : `${commit}-dirty`;
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${commitStamp(process.cwd())}\n`);
}
