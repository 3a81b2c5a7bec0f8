// Shared Jest settings. TypeScript is stripped by SWC (fast, no type check: `nx typecheck` does that),
// and workspace packages resolve to their sources through the `@ricochet/source` export condition.
const path = require('node:path');

/** @param {string} projectDir absolute path of the project */
module.exports = function jestPreset(projectDir) {
  const projectName = path.basename(projectDir);
  return {
    displayName: projectName,
    rootDir: projectDir,
    testEnvironment: 'node',
    testEnvironmentOptions: {
      customExportConditions: ['@ricochet/source', 'node', 'require', 'default'],
    },
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    coverageDirectory: path.join(__dirname, 'coverage', projectName),
    collectCoverageFrom: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts', '!src/main.ts'],
    // One JSON report per project: the test command sums them into its summary line, and Nx restores them
    // from cache with the rest of the target's outputs.
    reporters: ['default', [path.join(__dirname, 'tools/workspace/jest-summary-reporter.cjs'), { projectName }]],
  };
};
