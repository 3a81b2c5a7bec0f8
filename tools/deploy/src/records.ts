import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What `nx run udp-server:docker` recorded (apps/udp-server/docker/build-image.mjs). */
export interface ImageRecord {
  readonly image: string;
  readonly commit: string;
  readonly repository: string;
  readonly tag: string;
  readonly pushed: boolean;
  /** The manifest digest the registry stored, when pushed. */
  readonly digest?: string;
  readonly standInBase: boolean;
}

/** What `nx run deploy:publish-chart` recorded: the published chart and the image it pins. */
export interface ChartRecord {
  /** oci://<registry>/charts */
  readonly repository: string;
  readonly name: string;
  readonly version: string;
  readonly commit: string;
  readonly image: { readonly repository: string; readonly tag: string; readonly digest: string };
  /** True when this run pushed it; false when the registry already held this version for the same image. */
  readonly pushed: boolean;
}

export const IMAGE_RECORD = join('dist', 'images', 'udp-server.json');
export const CHART_RECORD = join('dist', 'charts', 'udp-server.json');

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export const readImageRecord = (root: string): ImageRecord | undefined => readJson(join(root, IMAGE_RECORD));
export const readChartRecord = (root: string): ChartRecord | undefined => readJson(join(root, CHART_RECORD));

export function writeChartRecord(root: string, record: ChartRecord): void {
  const file = join(root, CHART_RECORD);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** The reference a pod runs: repository:tag@digest. */
export const imageReference = (image: ChartRecord['image']): string =>
  `${image.repository}:${image.tag}@${image.digest}`;
