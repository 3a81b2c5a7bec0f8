// `nx run protocol:generate`: regenerates the types table in libs/protocol/README.md from the message table.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES, updateReadmeMessageTable } from '../src/index';

// Bundled and run from the workspace root by tools/workspace/run-ts.mjs, so the path is the root's.
const readmePath = join(process.cwd(), 'libs', 'protocol', 'README.md');
const before = readFileSync(readmePath, 'utf8');
const after = updateReadmeMessageTable(before, MESSAGES);
writeFileSync(readmePath, after);
process.stdout.write(
  before === after ? 'README.md types table already up to date\n' : 'README.md types table updated\n',
);
