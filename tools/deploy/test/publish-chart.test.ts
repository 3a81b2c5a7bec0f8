import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';
import { parse } from 'yaml';
import { chartVersion, stampChart } from '../src/publish-chart';

const ROOT = join(__dirname, '..', '..', '..');
const sha = '0123456789abcdef0123456789abcdef01234567';
const image = { repository: 'registry.example.com/udp-server', tag: sha, digest: `sha256:${'e'.repeat(64)}` };

describe('the published chart version', () => {
  const of = (version: string, commit = sha, tags: string[] = []) =>
    chartVersion({ version, appVersion: '0.1.0', sha: commit, tags });

  it("is the chart's version with the commit as a prerelease that sorts and survives OCI tags", () => {
    expect(of('0.2.0')).toBe('0.2.0-g0123456789ab');
    // A prerelease identifier of digits alone may not start with 0: the g keeps it alphanumeric.
    expect(of('1.0.0', '0'.repeat(40))).toBe('1.0.0-g000000000000');
    expect(of('1.0.0')).not.toContain('+');
  });

  it("is the chart's own version at a release, the commit that carries the tag v<appVersion>", () => {
    expect(of('0.3.0', sha, ['v0.1.0'])).toBe('0.3.0');
    // Another tag on the commit is not a release of this version.
    expect(of('0.3.0', sha, ['v0.0.9', 'nightly'])).toBe('0.3.0-g0123456789ab');
  });

  it('refuses a Chart.yaml version that is not MAJOR.MINOR.PATCH', () => {
    expect(() => of('0.2.0-rc1')).toThrow(/MAJOR\.MINOR\.PATCH/);
  });
});

describe('stamping the chart for publication', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(makeTempDir('chart-stamp'), 'udp-server');
    cpSync(join(ROOT, 'helm', 'udp-server'), dir, { recursive: true });
    stampChart(dir, { version: '0.2.0-g0123456789ab', commit: sha, image, standInBase: false });
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('records the commit and the image in Chart.yaml', () => {
    expect(parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8'))).toMatchObject({
      version: '0.2.0-g0123456789ab',
      appVersion: sha,
      annotations: {
        'org.opencontainers.image.revision': sha,
        'ricochet.dev/image': `registry.example.com/udp-server:${sha}@sha256:${'e'.repeat(64)}`,
      },
    });
  });

  it('makes the published image the default, so the chart alone runs what was published', () => {
    const values = parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) as { image: Record<string, string> };
    expect(values.image).toMatchObject({ tag: image.tag, digest: image.digest });
    expect(`${values.image['registry']}/${values.image['repository']}`).toBe(image.repository);
  });

  it("splits the image's registry from its repository, so that global.imageRegistry moves it to a mirror", () => {
    const values = parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) as { image: Record<string, string> };
    expect(values.image).toMatchObject({ registry: 'registry.example.com', repository: 'udp-server' });
  });

  it("keeps values.yaml's comments: it is the chart's manual", () => {
    const original = readFileSync(join(ROOT, 'helm', 'udp-server', 'values.yaml'), 'utf8');
    const stamped = readFileSync(join(dir, 'values.yaml'), 'utf8');
    const comments = (text: string) => text.split('\n').filter((line) => line.trim().startsWith('#'));
    expect(comments(stamped)).toEqual(comments(original));
  });
});
