import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createError } from '@ricochet/errors';
import { parse, parseDocument } from 'yaml';
import { formatCommand, type Exec } from './exec';
import { chartImageName } from './image-name';
import { readGitState } from './git-state';
import { imageReference, readImageRecord, writeChartRecord, type ChartRecord, type ImageRecord } from './records';
import { checkRegistry } from './registry-api';
import { CHART_NAME, chartRepository, imageRepository, type RegistrySettings } from './settings';

export const CHART_DIR = join('helm', 'udp-server');
/** Chart.yaml annotation naming the image a published chart runs, repository:tag@digest. */
export const IMAGE_ANNOTATION = 'ricochet.dev/image';

/** What the published version is made from: Chart.yaml's version and appVersion, the commit and its tags. */
export interface ChartVersionSource {
  readonly version: string;
  readonly appVersion: string;
  readonly sha: string;
  readonly tags: readonly string[];
}

/**
 * The published chart's version. At a release (the commit carries the tag v<appVersion> that nx run
 * release:version made), the chart's own SemVer as it is: 0.3.0. Anywhere else, that SemVer with the commit as a
 * prerelease, 0.2.0-g0123456789ab, which sorts before the release it leads to. A prerelease rather than build
 * metadata (+…): Helm writes `+` as `_` in OCI tags, and build metadata is ignored when versions are compared. The
 * `g` keeps the identifier alphanumeric (SemVer forbids a numeric one with a leading zero, which 12 hex digits can be).
 */
export function chartVersion({ version, appVersion, sha, tags }: ChartVersionSource): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`helm/udp-server/Chart.yaml version must be MAJOR.MINOR.PATCH, got "${version}"`);
  }
  return tags.includes(`v${appVersion}`) ? version : `${version}-g${sha.slice(0, 12)}`;
}

/** Chart.yaml's version and appVersion, as chartVersion needs them. */
export function readChartVersions(root: string): Pick<ChartVersionSource, 'version' | 'appVersion'> {
  const chart = parse(readFileSync(join(root, CHART_DIR, 'Chart.yaml'), 'utf8')) as {
    version: string;
    appVersion: string;
  };
  return { version: String(chart.version), appVersion: String(chart.appVersion) };
}

export interface ChartStamp {
  readonly version: string;
  readonly commit: string;
  readonly image: ChartRecord['image'];
  readonly standInBase: boolean;
}

/**
 * Makes a copy of the chart into what is published: its version names the commit, appVersion is the commit, its
 * annotations record the commit and the image, and its default image values are that image, so that
 * `helm install oci://… --version …` alone runs exactly what was published. Comments are kept.
 */
export function stampChart(dir: string, stamp: ChartStamp): void {
  const chartFile = join(dir, 'Chart.yaml');
  const chart = parseDocument(readFileSync(chartFile, 'utf8'));
  chart.set('version', stamp.version);
  chart.set('appVersion', stamp.commit);
  const annotations = (chart.toJS() as { annotations?: Record<string, string> }).annotations ?? {};
  chart.set('annotations', {
    ...annotations,
    'org.opencontainers.image.revision': stamp.commit,
    [IMAGE_ANNOTATION]: imageReference(stamp.image),
    ...(stamp.standInBase ? { 'ricochet.dev/image-base': 'local stand-in (RICOCHET_PUSH_STAND_IN_BASE)' } : {}),
  });
  writeFileSync(chartFile, String(chart));

  const valuesFile = join(dir, 'values.yaml');
  const values = parseDocument(readFileSync(valuesFile, 'utf8'));
  // Split as the chart takes it, so that global.imageRegistry (a mirror) applies to the published image too.
  const name = chartImageName(stamp.image.repository);
  values.setIn(['image', 'registry'], name.registry);
  values.setIn(['image', 'repository'], name.repository);
  values.setIn(['image', 'tag'], stamp.image.tag);
  values.setIn(['image', 'digest'], stamp.image.digest);
  writeFileSync(valuesFile, String(values));
}

export interface PublishContext {
  readonly exec: Exec;
  readonly root: string;
  readonly settings: RegistrySettings | undefined;
  readonly log: (line: string) => void;
}

/** The image of HEAD, pushed to the configured registry; throws UDP_ERR_DEPLOY_NOT_PUBLISHED otherwise. */
export function requirePushedImage(
  root: string,
  sha: string,
  settings: RegistrySettings,
): ImageRecord & { digest: string } {
  const image = readImageRecord(root);
  const build = 'Build and push it: nx run udp-server:docker with RICOCHET_REGISTRY set.';
  if (image === undefined) throw createError('UDP_ERR_DEPLOY_NOT_PUBLISHED', `The image of ${sha}`, build);
  if (image.commit !== sha) {
    throw createError('UDP_ERR_DEPLOY_NOT_PUBLISHED', `The image of ${sha}`, `dist/ records ${image.commit}. ${build}`);
  }
  if (!image.pushed || image.digest === undefined || image.repository !== imageRepository(settings)) {
    throw createError(
      'UDP_ERR_DEPLOY_NOT_PUBLISHED',
      `The image of ${sha} in ${imageRepository(settings)}`,
      `dist/ records ${image.pushed ? `a push to ${image.repository}` : 'a build without a push'}. ${build}`,
    );
  }
  return { ...image, digest: image.digest };
}

const caArgs = (settings: RegistrySettings): string[] =>
  settings.caFile === undefined ? [] : ['--ca-file', settings.caFile];

/**
 * Packages helm/udp-server for HEAD's pushed image and pushes it to oci://<registry>/charts, once: a version the
 * registry already holds for the same image is left as it is. Records the result in dist/charts/udp-server.json.
 */
export async function publishChart({ exec, root, settings, log }: PublishContext): Promise<ChartRecord> {
  if (settings === undefined) throw createError('UDP_ERR_DEPLOY_REGISTRY_MISSING', 'publish the chart');
  const { sha, dirtyFiles, tags } = readGitState(exec, root);
  const image = requirePushedImage(root, sha, settings);
  const version = chartVersion({ ...readChartVersions(root), sha, tags });
  const repository = chartRepository(settings);
  const imageRef = { repository: image.repository, tag: image.tag, digest: image.digest };
  if (dirtyFiles.some((file) => file.startsWith('helm/'))) {
    throw createError('UDP_ERR_DEPLOY_DIRTY_TREE', dirtyFiles.filter((file) => file.startsWith('helm/')).join(', '));
  }
  await checkRegistry(settings);

  const record: Omit<ChartRecord, 'pushed'> = { repository, name: CHART_NAME, version, commit: sha, image: imageRef };
  const show = exec('helm', [
    'show',
    'chart',
    `${repository}/${CHART_NAME}`,
    '--version',
    version,
    ...caArgs(settings),
  ]);
  if (show.status === 0) {
    const published = (parse(show.stdout) as { annotations?: Record<string, string> }).annotations?.[IMAGE_ANNOTATION];
    if (published !== imageReference(imageRef)) {
      throw createError(
        'UDP_ERR_DEPLOY_PUBLISH_CONFLICT',
        `${repository}/${CHART_NAME} ${version}`,
        published ?? '(none recorded)',
        imageReference(imageRef),
      );
    }
    log(`${repository}/${CHART_NAME} ${version} is already published for ${published}: not pushed again`);
    const unchanged = { ...record, pushed: false };
    writeChartRecord(root, unchanged);
    return unchanged;
  }

  const work = mkdtempSync(join(tmpdir(), 'ricochet-chart-'));
  const started = performance.now();
  try {
    const copy = join(work, CHART_NAME);
    cpSync(join(root, CHART_DIR), copy, { recursive: true });
    stampChart(copy, { version, commit: sha, image: imageRef, standInBase: image.standInBase });
    const run = (args: string[]): string => {
      const result = exec('helm', args, { cwd: root });
      if (result.status !== 0) {
        process.stderr.write(result.stderr);
        throw createError('UDP_ERR_DEPLOY_COMMAND_FAILED', formatCommand(['helm', ...args]), `exit ${result.status}`);
      }
      return `${result.stdout}${result.stderr}`;
    };
    run(['package', copy, '--destination', work]);
    const pushed = run(['push', join(work, `${CHART_NAME}-${version}.tgz`), repository, ...caArgs(settings)]);
    const digest = /Digest:\s*(sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
    log(
      `pushed ${repository}/${CHART_NAME}:${version}${digest ? ` (${digest})` : ''} for ${imageReference(imageRef)} ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s (package and push)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const published = { ...record, pushed: true };
  writeChartRecord(root, published);
  return published;
}
