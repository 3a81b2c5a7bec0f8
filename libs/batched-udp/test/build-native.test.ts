import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir } from '@ricochet/testing';

const SCRIPT = resolve(__dirname, '..', 'scripts', 'build-native.mjs');

/** The build script on a PATH holding only this Node: no python3, make or C compiler. */
function buildWithoutToolchain(env: Record<string, string>): { status: number | null; stderr: string } {
  const bin = makeTempDir('no-toolchain');
  symlinkSync(process.execPath, join(bin, 'node'));
  const result = spawnSync(join(bin, 'node'), [SCRIPT], {
    env: { PATH: bin, HOME: bin, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

describe('building the addon on a machine without a build toolchain', () => {
  it('builds nothing and says the server will use dgram, so `npm start` still works', () => {
    const { status, stderr } = buildWithoutToolchain({});
    expect(status).toBe(0);
    expect(stderr).toMatch(/not built: python3, make, cc not found on PATH .*the server uses dgram/);
  });

  it('fails under CI=true, where the tests need the addon', () => {
    const { status, stderr } = buildWithoutToolchain({ CI: 'true' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^batched-udp: not built: python3, make, cc not found on PATH/);
  });
});
