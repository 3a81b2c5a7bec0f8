import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..', '..');

interface Update {
  readonly 'package-ecosystem': string;
  readonly directory?: string;
  readonly directories?: readonly string[];
}

const updates = (parse(readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8')) as { updates: Update[] }).updates;

/** The directories one ecosystem covers, as repository paths ('' for the root). */
function covered(ecosystem: string): string[] {
  return updates
    .filter((update) => update['package-ecosystem'] === ecosystem)
    .flatMap((update) => update.directories ?? [update.directory ?? '/'])
    .map((dir) => dir.replace(/^\/+/, ''));
}

/** Directories of tracked files whose path matches `pattern`. */
function manifestDirs(pattern: RegExp): string[] {
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
  return [
    ...new Set(files.filter((file) => pattern.test(file)).map((file) => (dirname(file) === '.' ? '' : dirname(file)))),
  ];
}

describe('dependency updates (.github/dependabot.yml)', () => {
  it('cover every Go module in the tree', () => {
    expect(covered('gomod').sort()).toEqual(manifestDirs(/(^|\/)go\.mod$/).sort());
  });

  it('cover every Dockerfile', () => {
    expect(covered('docker').sort()).toEqual(manifestDirs(/(^|\/)Dockerfile$/).sort());
  });

  it('cover the Terraform roots, which pin providers exactly', () => {
    expect(covered('terraform').sort()).toEqual(manifestDirs(/^terraform\/envs\/[^/]+\/versions\.tf$/).sort());
  });

  it('cover npm at the workspace root and the workflows', () => {
    expect(covered('npm')).toEqual(['']);
    expect(covered('github-actions')).toEqual(['']);
  });
});
