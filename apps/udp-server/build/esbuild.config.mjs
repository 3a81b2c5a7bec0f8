// esbuild options of `nx run udp-server:build`: the workspace's (esbuild.config.mjs at the root), plus the commit
// stamp (commit-stamp.mjs) as the constant RICOCHET_BUILD_COMMIT, which apps/udp-server/src/version.ts reads.
import { join } from 'node:path';
import workspace from '../../../esbuild.config.mjs';
import { commitStamp } from './commit-stamp.mjs';

export default {
  ...workspace,
  define: { RICOCHET_BUILD_COMMIT: JSON.stringify(commitStamp(join(import.meta.dirname, '..', '..', '..'))) },
};
