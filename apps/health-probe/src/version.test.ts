import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROBE_VERSION } from './version';

describe('PROBE_VERSION', () => {
  it("is the version in the app's package.json", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(PROBE_VERSION).toBe(pkg.version);
  });
});
