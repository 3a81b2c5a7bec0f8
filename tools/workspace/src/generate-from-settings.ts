// `nx run config:generate`: regenerates what is derived from the settings tables in libs/config: the
// configuration tables in README.md and the `server` block of the chart's values.schema.json. Drift tests
// (libs/config usage.test.ts, helm/test/values-schema.test.ts) fail until this has run. The target formats
// both files with Prettier afterwards.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartServerSchema, updateReadmeTables } from '@ricochet/config';

const root = process.cwd();

function rewrite(relativePath: string, update: (text: string) => string): void {
  const path = join(root, relativePath);
  const before = readFileSync(path, 'utf8');
  const after = update(before);
  if (after !== before) writeFileSync(path, after);
  process.stdout.write(`${relativePath}: ${after === before ? 'already up to date' : 'updated'}\n`);
}

rewrite('README.md', updateReadmeTables);
rewrite('helm/udp-server/values.schema.json', (text) => {
  const schema = JSON.parse(text) as { properties: Record<string, unknown> };
  schema.properties['server'] = chartServerSchema();
  return `${JSON.stringify(schema, null, 2)}\n`;
});
