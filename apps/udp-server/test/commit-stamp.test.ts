import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir, runOk } from '@ricochet/testing';

// apps/udp-server/build/commit-stamp.mjs, run as Nx runs it (the build's runtime input) in a git checkout of its own.
const SCRIPT = join(__dirname, '..', 'build', 'commit-stamp.mjs');
const PROJECT = JSON.parse(readFileSync(join(__dirname, '..', 'project.json'), 'utf8')) as {
  targets: { build: { inputs: unknown[]; options: { esbuildConfig: string } } };
};

const stamp = async (cwd: string): Promise<string> => (await runOk(process.execPath, [SCRIPT], { cwd })).stdout.trim();
const git = (cwd: string, ...args: string[]) =>
  runOk('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd });

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A checkout holding a server source, a library source, a test and a doc, all committed. */
async function checkout(): Promise<{ root: string; head: string }> {
  const root = makeTempDir('commit-stamp');
  await git(root, 'init', '--quiet');
  write(root, 'apps/udp-server/src/main.ts', 'export {};\n');
  write(root, 'apps/udp-server/src/main.test.ts', 'export {};\n');
  write(root, 'libs/protocol/src/index.ts', 'export {};\n');
  write(root, 'libs/testing/src/index.ts', 'export {};\n');
  write(root, 'docs/observability.md', '# Observability\n');
  await git(root, 'add', '.');
  await git(root, 'commit', '--quiet', '-m', 'first');
  return { root, head: (await git(root, 'rev-parse', 'HEAD')).stdout.trim() };
}

describe('the commit stamp of the server bundle', () => {
  it('is the full sha of HEAD in a clean checkout', async () => {
    const { root, head } = await checkout();
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    expect(await stamp(root)).toBe(head);
  });

  it('is <sha>-dirty when a bundled source is modified, staged or new, and the sha again once committed', async () => {
    const { root, head } = await checkout();
    write(root, 'apps/udp-server/src/main.ts', 'export const changed = 1;\n');
    expect(await stamp(root)).toBe(`${head}-dirty`);
    await git(root, 'add', '.');
    expect(await stamp(root)).toBe(`${head}-dirty`);
    await git(root, 'commit', '--quiet', '-m', 'second');
    const second = (await git(root, 'rev-parse', 'HEAD')).stdout.trim();
    expect(await stamp(root)).toBe(second);
    write(root, 'libs/protocol/src/new-message.ts', 'export {};\n');
    expect(await stamp(root)).toBe(`${second}-dirty`);
  });

  it('stays clean when only what is not bundled changes: tests, test helpers, docs', async () => {
    const { root, head } = await checkout();
    write(root, 'apps/udp-server/src/main.test.ts', 'export const changed = 1;\n');
    write(root, 'libs/testing/src/index.ts', 'export const changed = 1;\n');
    write(root, 'docs/observability.md', '# Changed\n');
    expect(await stamp(root)).toBe(head);
  });

  it('is unknown outside a git checkout', async () => {
    expect(await stamp(makeTempDir('no-checkout'))).toBe('unknown');
  });

  it('is an input of the build, so Nx rebuilds rather than restore a bundle stamped with another commit', () => {
    expect(PROJECT.targets.build.inputs).toContainEqual({ runtime: 'node apps/udp-server/build/commit-stamp.mjs' });
    expect(PROJECT.targets.build.options.esbuildConfig).toBe('apps/udp-server/build/esbuild.config.mjs');
  });
});
