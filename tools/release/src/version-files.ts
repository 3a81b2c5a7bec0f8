// Every file that states the product's or the chart's version, and how to rewrite each one in place (formatting
// and comments kept). A test reads the real files through these, so a new version file cannot be forgotten quietly.

export interface VersionFile {
  /** Repository path. */
  readonly path: string;
  /** Which version it carries: the product's (the apps, the chart's appVersion) or the chart's own. */
  readonly carries: 'product' | 'chart';
  readonly pattern: RegExp;
}

const jsonVersion = /^(\s*"version":\s*")([^"]+)(")/m;

export const VERSION_FILES: readonly VersionFile[] = [
  { path: 'package.json', carries: 'product', pattern: jsonVersion },
  { path: 'apps/udp-server/package.json', carries: 'product', pattern: jsonVersion },
  { path: 'apps/health-probe/package.json', carries: 'product', pattern: jsonVersion },
  {
    path: 'apps/udp-server/src/version.ts',
    carries: 'product',
    pattern: /^(export const SERVER_VERSION = ')([^']+)(')/m,
  },
  {
    path: 'apps/health-probe/src/version.ts',
    carries: 'product',
    pattern: /^(export const PROBE_VERSION = ')([^']+)(')/m,
  },
  { path: 'helm/udp-server/Chart.yaml', carries: 'chart', pattern: /^(version: )(\S+)()$/m },
  { path: 'helm/udp-server/Chart.yaml', carries: 'product', pattern: /^(appVersion: ")([^"]+)(")$/m },
];

/** The version `file` states in `text`; undefined when its pattern finds none. */
export function readVersion(file: VersionFile, text: string): string | undefined {
  return file.pattern.exec(text)?.[2];
}

export function writeVersion(file: VersionFile, text: string, version: string): string {
  if (readVersion(file, text) === undefined) throw new Error(`${file.path}: no version where ${file.pattern} looks`);
  return text.replace(
    file.pattern,
    (_match, before: string, _old: string, after: string) => `${before}${version}${after}`,
  );
}
