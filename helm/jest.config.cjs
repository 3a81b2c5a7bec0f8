// The chart's tests run the real helm binary (installed by the global setup) and parse what it renders.
module.exports = {
  ...require('../jest.preset.cjs')(__dirname),
  globalSetup: '<rootDir>/test/global-setup.ts',
  // helm starts in ~50 ms, but a busy build machine can make a render take seconds.
  testTimeout: 60_000,
};
