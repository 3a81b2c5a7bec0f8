import { requireTools } from '../src';
import { runJestFixture } from './jest-fixture';

describe('describeIf and itIf', () => {
  it('skip what cannot run on a developer machine, saying why, and run the rest', async () => {
    const { code, stderr, records } = await runJestFixture('requirements.fixture.ts', false);
    expect(code).toBe(0);
    expect(stderr).toContain('skipped: the gated suite needs a tool nobody has (under CI=true this fails instead)');
    expect(stderr).toContain('skipped: the gated test needs a tool nobody has');
    expect(records.map((r) => r.name)).toEqual(['open suite: test ran']);
  }, 60_000);

  it('fail under CI=true with the reason, running none of the gated hooks or tests', async () => {
    const { code, stderr, records } = await runJestFixture('requirements.fixture.ts', true);
    expect(code).toBe(1);
    expect(stderr).toContain('cannot run here: the gated suite needs a tool nobody has. CI=true forbids skipping');
    expect(stderr).toContain('cannot run here: the gated test needs a tool nobody has.');
    expect(stderr).toMatch(/Tests:\s+2 failed, 1 passed, 3 total/);
    expect(records.map((r) => r.name)).toEqual(['open suite: test ran']);
  }, 60_000);
});

describe('requireTools', () => {
  it('finds a program that runs', () => {
    expect(requireTools('node')).toEqual([true, 'not installed: ']);
  });

  it('names each missing program and how to get it', () => {
    expect(requireTools('node', 'ricochet-no-such-tool')).toEqual([
      false,
      'not installed: ricochet-no-such-tool (install it and put it on PATH)',
    ]);
  });
});
