module.exports = {
  ...require('../../jest.preset.cjs')(__dirname),
  coverageThreshold: { global: { lines: 95, branches: 90 } },
};
