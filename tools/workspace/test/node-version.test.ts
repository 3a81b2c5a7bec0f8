import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** The major version of Node each place names; they must all be the one the image runs. */
function majors(): Record<string, number> {
  const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
  const major = (text: string | undefined, pattern: RegExp): number => Number(pattern.exec(text ?? '')?.[1]);
  return {
    '.nvmrc': major(read('.nvmrc'), /^(\d+)/),
    'package.json engines': major(engines, />=\s*(\d+)/),
    'tools/workspace/bootstrap.mjs NODE_VERSION': major(
      read('tools/workspace/bootstrap.mjs'),
      /NODE_VERSION = '(\d+)\./,
    ),
    'Dockerfile base image': major(read('apps/udp-server/Dockerfile'), /ARG BASE_IMAGE=\S*nodejs(\d+)-/),
    'esbuild.config.mjs target': major(read('esbuild.config.mjs'), /^\s*target: 'node(\d+)'/m),
  };
}

describe('the Node version', () => {
  it('is the same major everywhere it is named: .nvmrc, engines, the installer, the image, the bundles', () => {
    const found = majors();
    expect(Object.values(found).every(Number.isInteger)).toBe(true);
    expect(new Set(Object.values(found))).toEqual(new Set([found['.nvmrc']]));
  });

  it('is what the README tells a newcomer to have, and what the bootstrap runs on', () => {
    const readme = read('README.md');
    expect(readme).toContain(`Node ${majors()['.nvmrc']}`);
    // The bootstrap (tools/workspace/dev.mjs, tools/workspace/bootstrap.mjs) runs on older Node to fetch the right one.
    expect(readme).toMatch(/Node ≥ 20[^\n]*only to/);
  });
});
