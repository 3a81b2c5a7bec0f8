import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, run, type Run } from '../src';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(__dirname, 'fixtures');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the workspace's Jest preset is CommonJS
const preset = require(join(ROOT, 'jest.preset.cjs')) as (dir: string) => Record<string, unknown>;

export interface FixtureRun extends Run {
  /** What the fixture recorded with `record`, in order. */
  readonly records: { name: string; value: unknown }[];
}

/**
 * Runs one test file of test/fixtures in a Jest of its own, as `nx test` would run it, with `CI` as given; the
 * fixture records what it saw with `record` (fixtures/record.ts).
 */
export async function runJestFixture(fixture: string, ci: boolean): Promise<FixtureRun> {
  const out = join(makeTempDir('jest-fixture'), 'records.jsonl');
  const config = {
    ...preset(FIXTURES),
    testMatch: ['<rootDir>/*.fixture.ts'],
    // Only the console: the project's own report must not be overwritten by a fixture's.
    reporters: ['default'],
  };
  const result = await run(
    process.execPath,
    [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config), '--ci', fixture],
    {
      cwd: ROOT,
      env: { ...process.env, CI: String(ci), FORCE_COLOR: '0', RICOCHET_FIXTURE_RECORDS: out },
      timeoutMs: 60_000,
    },
  );
  let text = '';
  try {
    text = readFileSync(out, 'utf8');
  } catch {
    // Nothing recorded.
  }
  const records = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { name: string; value: unknown });
  return { ...result, records };
}
