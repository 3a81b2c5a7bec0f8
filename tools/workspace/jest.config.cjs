// Runs the workspace's scripts (npm start and its bootstrap) as real child processes.
module.exports = {
  ...require('../../jest.preset.cjs')(__dirname),
  testTimeout: 120_000,
};
