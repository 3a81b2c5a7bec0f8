const preset = require('../../jest.preset.cjs')(__dirname);

module.exports = {
  ...preset,
  // worker-thread.ts runs only inside a worker thread, where Jest does not instrument (as main.ts runs only as the
  // process): the process tests drive it (apps/udp-server-e2e/test/workers.test.ts).
  collectCoverageFrom: [...preset.collectCoverageFrom, '!src/workers/worker-thread.ts'],
  coverageThreshold: { global: { lines: 90, branches: 80 } },
};
