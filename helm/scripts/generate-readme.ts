// `nx run helm:readme`: rewrites the values table of helm/udp-server/README.md from values.yaml's `# --` comments
// and values.schema.json (chart-readme.ts). helm/test/chart-readme.test.ts fails until this has run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JsonSchema, updateChartReadme } from './chart-readme';

const chart = join(process.cwd(), 'helm', 'udp-server');
const readmePath = join(chart, 'README.md');
const before = readFileSync(readmePath, 'utf8');
const after = updateChartReadme(
  before,
  readFileSync(join(chart, 'values.yaml'), 'utf8'),
  JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8')) as JsonSchema,
);
if (after !== before) writeFileSync(readmePath, after);
process.stdout.write(`helm/udp-server/README.md: ${after === before ? 'already up to date' : 'updated'}\n`);
