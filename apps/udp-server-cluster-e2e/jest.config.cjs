// The chart on a real cluster. One test file at a time: the files share one node (2 cores here), and each
// measures something (loss, timings) that a neighbour's load would distort.
module.exports = {
  ...require('../../jest.preset.cjs')(__dirname),
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 600_000,
};
