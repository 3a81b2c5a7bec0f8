/** Kept equal to package.json's version by a test. */
export const SERVER_VERSION = '0.1.0';

/** Replaced by its value when `nx run udp-server:build` bundles the server (apps/udp-server/build/). */
declare const RICOCHET_BUILD_COMMIT: string | undefined;

/**
 * The git commit the bundle was built from, `<sha>-dirty` when its sources had uncommitted changes. Where the build
 * could not tell (outside a git checkout) or the code runs unbundled (tests), RICOCHET_COMMIT from the
 * environment (the image sets it from its build argument), else `unknown`.
 */
export const BUILD_COMMIT =
  typeof RICOCHET_BUILD_COMMIT === 'string' && RICOCHET_BUILD_COMMIT !== 'unknown'
    ? RICOCHET_BUILD_COMMIT
    : (process.env['RICOCHET_COMMIT'] ?? 'unknown');
