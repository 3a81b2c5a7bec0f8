import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeIf, makeTempDir, requireTools, run } from '@ricochet/testing';

const ROOT = join(__dirname, '..', '..', '..');
const WORKFLOW = join(ROOT, '.github', 'workflows', 'ci.yml');

describeIf(...requireTools('actionlint'))('the hosted-CI workflow', () => {
  it('passes actionlint', async () => {
    const result = await run('actionlint', ['-no-color', WORKFLOW], { cwd: ROOT });
    expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({ code: 0, output: '' });
  });

  it('runs the same pipeline as npm run pipeline, not a copy of its steps', () => {
    const text = readFileSync(WORKFLOW, 'utf8');
    expect(text).toMatch(/npm run pipeline/);
    expect(text).not.toMatch(/nx (affected|run-many)/);
  });

  it('is checked by a linter that does find mistakes', async () => {
    // The same workflow with a misspelt key and an unknown expression context.
    const broken = readFileSync(WORKFLOW, 'utf8')
      .replace('runs-on:', 'run-on:')
      .replace('github.event_name', 'githb.event_name');
    const dir = makeTempDir('broken-workflow');
    const file = join(dir, 'ci.yml');
    writeFileSync(file, broken);
    const result = await run('actionlint', ['-no-color', file], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/run-on/);
    expect(result.stdout).toMatch(/githb/);
  });
});
