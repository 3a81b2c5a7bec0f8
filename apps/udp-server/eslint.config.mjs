import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // What costs resident memory for nothing: prom-client's index loads its Pushgateway (https, tls, zlib: 5 MB),
    // so its values come by path; node:fs/promises loads nine more modules of Node's (0.6 MB).
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'prom-client',
              message: "Import Registry and collectDefaultMetrics from './observability/prom-client'.",
              allowTypeImports: true,
            },
            {
              name: 'node:fs/promises',
              message: "It loads nine more of Node's modules: use node:fs's callback API (see src/read-proc-text.ts).",
            },
          ],
        },
      ],
    },
  },
];
