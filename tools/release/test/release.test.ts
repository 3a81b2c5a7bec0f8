import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir, run } from '@ricochet/testing';
import { releaseChangelog, unreleasedNotes } from '../src/changelog';
import { applyRelease, planRelease } from '../src/release';
import { VERSION_FILES, readVersion } from '../src/version-files';

const ROOT = join(__dirname, '..', '..', '..');
const DATE = '2026-12-03';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A git repository holding copies of this repository's real version files and changelog, committed. */
function fixture(): string {
  const dir = makeTempDir('release-repo');
  for (const path of [...new Set(VERSION_FILES.map((file) => file.path)), 'CHANGELOG.md']) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    copyFileSync(join(ROOT, path), join(dir, path));
  }
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.email', 'release-test@ricochet.invalid');
  git(dir, 'config', 'user.name', 'release test');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'fixture');
  return dir;
}

const versionsIn = (dir: string): string[] =>
  VERSION_FILES.map((file) => `${file.path} ${readVersion(file, readFileSync(join(dir, file.path), 'utf8'))}`);

describe('the version files', () => {
  it('each hold a version in this repository, and the product versions agree', () => {
    const product = VERSION_FILES.filter((file) => file.carries === 'product').map((file) =>
      readVersion(file, readFileSync(join(ROOT, file.path), 'utf8')),
    );
    expect(product.every((version) => version !== undefined)).toBe(true);
    expect(new Set(product).size).toBe(1);
  });
});

describe('the changelog', () => {
  const text =
    '# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- a thing\n\n## [0.1.0] - 2026-01-01\n\n- old\n';

  it('releases the Unreleased notes under a dated heading and leaves an empty Unreleased on top', () => {
    expect(releaseChangelog(text, '0.2.0', DATE)).toBe(
      '# Changelog\n\nIntro.\n\n## [Unreleased]\n\n## [0.2.0] - 2026-12-03\n\n### Added\n\n- a thing\n\n## [0.1.0] - 2026-01-01\n\n- old\n',
    );
  });

  it('finds nothing to release in an empty Unreleased section', () => {
    expect(unreleasedNotes(releaseChangelog(text, '0.2.0', DATE))).toBe('');
  });
});

describe('a release', () => {
  it('moves the apps and the chart by the same part, releases the changelog, commits and tags', () => {
    const dir = fixture();
    const plan = planRelease(dir, { to: { bump: 'minor' }, date: DATE });
    expect(plan).toMatchObject({
      product: { from: '0.1.0', to: '0.2.0' },
      chart: { to: expect.stringMatching(/^\d+\.\d+\.0$/) },
    });
    const commit = applyRelease(dir, plan);

    expect(versionsIn(dir).filter((line) => !line.startsWith('helm/udp-server/Chart.yaml'))).toEqual(
      VERSION_FILES.filter((file) => file.carries === 'product' && !file.path.endsWith('Chart.yaml')).map(
        (file) => `${file.path} 0.2.0`,
      ),
    );
    const chartYaml = readFileSync(join(dir, 'helm/udp-server/Chart.yaml'), 'utf8');
    expect(chartYaml).toContain(`version: ${plan.chart.to}\n`);
    expect(chartYaml).toContain('appVersion: "0.2.0"\n');
    // Comments and layout kept: only the version lines differ.
    expect(git(dir, 'diff', '--stat', 'HEAD~1', '--', 'helm/udp-server/Chart.yaml')).toMatch(
      /2 insertions.*2 deletions/,
    );
    const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/## \[Unreleased\]\n\n## \[0\.2\.0\] - 2026-12-03\n/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('release: v0.2.0');
    expect(git(dir, 'rev-list', '-n', '1', 'v0.2.0')).toBe(commit);
    expect(git(dir, 'tag', '-l', '--format=%(contents:subject)', 'v0.2.0')).toBe('Ricochet 0.2.0');
  });

  it('takes an explicit later version, and refuses an earlier one, the same one or a malformed one', () => {
    const dir = fixture();
    expect(planRelease(dir, { to: { version: '1.0.0' }, date: DATE }).product.to).toBe('1.0.0');
    for (const version of ['0.0.9', '0.1.0', 'one']) {
      expect(() => planRelease(dir, { to: { version }, date: DATE })).toThrow(
        expect.objectContaining({ code: 'UDP_ERR_RELEASE_VERSION' }),
      );
    }
  });

  it('refuses a dirty tree, an existing tag and an empty Unreleased section, and changes nothing', () => {
    const dir = fixture();
    const before = versionsIn(dir);
    writeFileSync(join(dir, 'stray.txt'), 'uncommitted');
    expect(() => planRelease(dir, { to: { bump: 'patch' }, date: DATE })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_RELEASE_DIRTY_TREE' }),
    );
    git(dir, 'add', 'stray.txt');
    git(dir, 'commit', '--quiet', '-m', 'stray');
    git(dir, 'tag', 'v0.1.1');
    expect(() => planRelease(dir, { to: { bump: 'patch' }, date: DATE })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_RELEASE_TAG_EXISTS' }),
    );
    applyRelease(dir, planRelease(dir, { to: { bump: 'minor' }, date: DATE }));
    expect(() => planRelease(dir, { to: { bump: 'patch' }, date: DATE })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_RELEASE_NOTHING' }),
    );
    expect(versionsIn(dir)).not.toEqual(before);
  });

  it('runs from the command line: --dry-run writes nothing, a bad flag is a usage error', async () => {
    const dir = fixture();
    const cli = [join(ROOT, 'tools/workspace/run-ts.mjs'), join(ROOT, 'tools/release/src/main.ts')];
    const dry = await run(process.execPath, [...cli, '--bump', 'patch', '--dry-run'], { cwd: dir });
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toMatch(/release v0\.1\.1: product 0\.1\.0 → 0\.1\.1/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'tag', '-l')).toBe('');
    const bad = await run(process.execPath, [...cli, '--bump', 'huge'], { cwd: dir });
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--bump: expected major, minor or patch/);
  });
});
