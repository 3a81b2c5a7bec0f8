// Runs the built bundles (dist/apps/*/main.js) as child processes; the test target builds them first.
module.exports = {
  ...require('../../jest.preset.cjs')(__dirname),
  testTimeout: 30_000,
};
