/** Kept equal to package.json's version by a test. The commit comes from the image build. */
export const SERVER_VERSION = '0.1.0';

export const BUILD_COMMIT = process.env['RICOCHET_COMMIT'] ?? 'unknown';
