// The esbuild options of every bundle in the workspace (nx.json's targetDefaults for @nx/esbuild:esbuild point
// here). A project needing more extends them in a config of its own: apps/udp-server/build/esbuild.config.mjs.
export default {
  // Resolve the workspace libraries to their TypeScript sources (package.json "exports").
  conditions: ['@ricochet/source'],
  target: 'node24',
  legalComments: 'none',
  outExtension: { '.js': '.js' },
};
