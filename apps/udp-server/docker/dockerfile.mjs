// Facts about the image that the build and its tools share: where the Dockerfile is, its default base, and the
// label that marks an image built on a local stand-in base (never published).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const DOCKERFILE = join(ROOT, 'apps', 'udp-server', 'Dockerfile');
export const STAND_IN_LABEL = 'io.ricochet.stand-in';

/** The default of `ARG BASE_IMAGE=…` in apps/udp-server/Dockerfile. */
export function defaultBaseImage(dockerfile = DOCKERFILE) {
  const match = /^ARG BASE_IMAGE=(\S+)\s*$/m.exec(readFileSync(dockerfile, 'utf8'));
  if (!match) throw new Error(`${dockerfile} has no "ARG BASE_IMAGE=<image>" line with a default`);
  return match[1];
}
