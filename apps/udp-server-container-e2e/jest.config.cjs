// Builds the real image (podman) and runs it hardened, with the probe commands the chart renders.
module.exports = {
  ...require('../../jest.preset.cjs')(__dirname),
  testTimeout: 180_000,
};
