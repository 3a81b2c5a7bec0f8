// The release flow: check, plan, then write the versions and the changelog, commit, and tag. Nothing is written
// before every check has passed.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createError } from '@ricochet/errors';
import { releaseChangelog, unreleasedNotes } from './changelog';
import { bump, compareVersions, formatVersion, parseVersion, type Bump, type Version } from './semver';
import { VERSION_FILES, readVersion, writeVersion } from './version-files';

export interface ReleaseRequest {
  /** A bump of the current version, or an explicit later version. */
  readonly to: { readonly bump: Bump } | { readonly version: string };
  /** YYYY-MM-DD for the changelog heading. */
  readonly date: string;
}

export interface FileChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface ReleasePlan {
  readonly product: { readonly from: string; readonly to: string };
  readonly chart: { readonly from: string; readonly to: string };
  readonly tag: string;
  readonly notes: string;
  readonly changes: readonly FileChange[];
}

const git = (root: string, args: readonly string[]): string =>
  execFileSync('git', [...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function mustParse(text: string, where: string): Version {
  const version = parseVersion(text);
  if (version === undefined) throw new Error(`${where}: "${text}" is not MAJOR.MINOR.PATCH`);
  return version;
}

/** The next product version and, moved by the same part, the chart's. */
function nextVersions(
  to: ReleaseRequest['to'],
  product: Version,
  chart: Version,
): { product: Version; chart: Version } {
  if ('bump' in to) return { product: bump(product, to.bump), chart: bump(chart, to.bump) };
  const wanted = parseVersion(to.version);
  if (wanted === undefined || compareVersions(wanted, product) <= 0) {
    throw createError('UDP_ERR_RELEASE_VERSION', to.version, formatVersion(product));
  }
  const part: Bump = wanted.major !== product.major ? 'major' : wanted.minor !== product.minor ? 'minor' : 'patch';
  return { product: wanted, chart: bump(chart, part) };
}

/** Checks everything and says what a release would change; writes nothing. */
export function planRelease(root: string, request: ReleaseRequest): ReleasePlan {
  const dirty = git(root, ['status', '--porcelain'])
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3));
  if (dirty.length > 0) throw createError('UDP_ERR_RELEASE_DIRTY_TREE', dirty.slice(0, 5).join(', '));

  const texts = new Map(VERSION_FILES.map((file) => [file.path, readFileSync(join(root, file.path), 'utf8')]));
  const stated = (carries: 'product' | 'chart'): string[] =>
    VERSION_FILES.filter((file) => file.carries === carries).map(
      (file) => readVersion(file, texts.get(file.path) as string) ?? `(none in ${file.path})`,
    );
  const productNow = stated('product');
  if (new Set(productNow).size !== 1) {
    throw new Error(`the version files disagree (${productNow.join(', ')}): make them one version first`);
  }
  const product = mustParse(productNow[0] as string, 'the product version');
  const chart = mustParse(stated('chart')[0] as string, 'helm/udp-server/Chart.yaml version');
  const next = nextVersions(request.to, product, chart);
  const tag = `v${formatVersion(next.product)}`;
  if (git(root, ['tag', '--list', tag]).trim() !== '') throw createError('UDP_ERR_RELEASE_TAG_EXISTS', tag);

  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  const notes = unreleasedNotes(changelog);
  if (notes === undefined || notes === '') throw createError('UDP_ERR_RELEASE_NOTHING');

  for (const file of VERSION_FILES) {
    const version = file.carries === 'product' ? next.product : next.chart;
    texts.set(file.path, writeVersion(file, texts.get(file.path) as string, formatVersion(version)));
  }
  const changes: FileChange[] = [...texts].map(([path, after]) => ({
    path,
    before: readFileSync(join(root, path), 'utf8'),
    after,
  }));
  changes.push({
    path: 'CHANGELOG.md',
    before: changelog,
    after: releaseChangelog(changelog, formatVersion(next.product), request.date),
  });
  return {
    product: { from: formatVersion(product), to: formatVersion(next.product) },
    chart: { from: formatVersion(chart), to: formatVersion(next.chart) },
    tag,
    notes,
    changes,
  };
}

/** Writes the plan's files, commits them and tags the commit (annotated, with the release notes). */
export function applyRelease(root: string, plan: ReleasePlan): string {
  for (const change of plan.changes) writeFileSync(join(root, change.path), change.after);
  git(root, ['add', '--', ...plan.changes.map((change) => change.path)]);
  git(root, ['commit', '--quiet', '-m', `release: ${plan.tag}`]);
  git(root, ['tag', '--annotate', plan.tag, '-m', `Ricochet ${plan.product.to}\n\n${plan.notes}`]);
  return git(root, ['rev-parse', 'HEAD']).trim();
}
