import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Which kind of project may import which. Untagged projects may import nothing, so a new project must say
// what it is before it can depend on anything.
const dependencyRules = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:chart', onlyDependOnLibsWithTags: ['type:lib'] },
  // End-to-end tests drive the apps as processes; in code they may use libraries only.
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  // The error table depends on nothing; the protocol library is pure and may use only the error table.
  { sourceTag: 'scope:errors', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:protocol', onlyDependOnLibsWithTags: ['scope:protocol', 'scope:errors'] },
  // The native socket addon is the UDP server's alone: other apps, libraries, tools and tests reach it through the
  // server (its SOCKET_IO setting), never by importing it.
  ...['type:lib', 'type:tool', 'type:chart', 'type:e2e', 'scope:probe'].map((sourceTag) => ({
    sourceTag,
    notDependOnLibsWithTags: ['scope:native-io'],
  })),
];

// The test helpers register Jest hooks, kill processes and delete directories: product code must never load them.
// Tests (beside the code or in test/), end-to-end projects and tools may.
const testHelpersOnlyInTests = [
  {
    name: '@ricochet/testing',
    message: 'Product code may not import the test helpers (libs/testing); only tests and tools may.',
  },
];
const productSources = ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'];
const testSources = ['**/*.test.ts', 'libs/testing/**'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/coverage', '**/node_modules', '.tools/**', '.nx/**', 'reports/**'],
  },
  {
    // Source only: config files (jest.config.cjs, eslint.config.mjs) load the workspace's shared presets by path.
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          banTransitiveDependencies: true,
          depConstraints: dependencyRules,
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
    },
  },
  {
    // basePath: the patterns are the workspace's, while each project lints with its own config in its own folder.
    basePath: import.meta.dirname,
    files: productSources,
    ignores: testSources,
    rules: { 'no-restricted-imports': ['error', { paths: testHelpersOnlyInTests }] },
  },
  {
    // libs/protocol does no I/O: it encodes and decodes bytes handed to it. (A later block's options replace an
    // earlier one's, so this one repeats the ban on the test helpers.)
    basePath: import.meta.dirname,
    files: ['libs/protocol/src/**/*.ts'],
    ignores: testSources,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...testHelpersOnlyInTests,
            ...['dgram', 'net', 'fs', 'http', 'https', 'child_process', 'worker_threads'].flatMap((name) => [
              { name, message: 'libs/protocol does no I/O: do the I/O in an app and pass bytes in.' },
              { name: `node:${name}`, message: 'libs/protocol does no I/O: do the I/O in an app and pass bytes in.' },
            ]),
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { ...tseslint.configs.disableTypeChecked, files: ['**/*.mjs', '**/*.cjs', '**/*.js'] },
];
