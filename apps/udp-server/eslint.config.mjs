import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // prom-client's index loads its Pushgateway (https, tls, zlib: 5 MB resident); its values come by path.
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
          ],
        },
      ],
    },
  },
];
