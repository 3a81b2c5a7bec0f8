import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { makeTempDir, run, runOk } from '../src';
import { runJestFixture } from './jest-fixture';

const ROOT = join(__dirname, '..', '..', '..');

/** Whether `pid` is a process that has not exited (a zombie has). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('makeTempDir', () => {
  let madeByTheFirstTest = '';

  it('makes a new, empty directory under the temp dir, named for its owner and purpose', () => {
    madeByTheFirstTest = makeTempDir('helper-test');
    expect(statSync(madeByTheFirstTest).isDirectory()).toBe(true);
    expect(madeByTheFirstTest.startsWith(tmpdir())).toBe(true);
    expect(basename(madeByTheFirstTest)).toMatch(new RegExp(`^ricochet-test-${process.pid}-helper-test-\\w{6}$`));
    expect(makeTempDir('helper-test')).not.toBe(madeByTheFirstTest);
  });

  it('has removed the directory of the test before, with what was in it', () => {
    expect(madeByTheFirstTest).not.toBe('');
    expect(existsSync(madeByTheFirstTest)).toBe(false);
  });

  it('refuses a prefix that is not a plain name', () => {
    expect(() => makeTempDir('../escape')).toThrow(/lower-case letters, digits and dashes/);
  });

  it("removes a failing test's directory at once and the file's at its end; and directories of dead runs", async () => {
    // One left behind by a process that no longer runs (as by a run killed with SIGKILL), and one of a live one.
    const dead = await runOk('sh', ['-c', 'echo $$']);
    const abandoned = mkdtempSync(join(tmpdir(), `ricochet-test-${dead.stdout.trim()}-abandoned-`));
    const live = mkdtempSync(join(tmpdir(), `ricochet-test-${process.ppid}-live-`));
    try {
      const { code, records, stdout, stderr } = await runJestFixture('temp-dir-lifetimes.fixture.ts', false);
      expect({ code, output: stdout + stderr }).toEqual({ code: 1, output: expect.stringContaining('1 failed') });
      const made = records.filter((r) => typeof r.value === 'string').map((r) => r.value as string);
      expect(made).toHaveLength(3);
      expect(records.find((r) => r.name === 'seen by the next test')?.value).toEqual({
        failingTest: false,
        beforeAll: true,
        import: true,
      });
      expect(made.filter((dir) => existsSync(dir))).toEqual([]);
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      rmSync(abandoned, { recursive: true, force: true });
      rmSync(live, { recursive: true, force: true });
    }
  }, 60_000);

  it('removes its directories, and stops the processes spawned, when a program outside Jest exits', async () => {
    const script = join(__dirname, 'fixtures', 'exit-fallback.ts');
    const result = await run(process.execPath, [join(ROOT, 'tools', 'workspace', 'run-ts.mjs'), script], { cwd: ROOT });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const { dir, pid } = JSON.parse(result.stdout) as { dir: string; pid: number };
    expect(existsSync(dir)).toBe(false);
    // SIGKILL was sent at exit; the kernel takes a moment to end it, and no event tells this process when.
    const deadline = performance.now() + 5000;
    while (alive(pid) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive(pid)).toBe(false);
  }, 60_000);
});
