// `nx run config:docs`: regenerates the configuration tables in README.md from libs/config.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { updateReadmeTables } from '@ricochet/config';

const readmePath = join(process.cwd(), 'README.md');
const before = readFileSync(readmePath, 'utf8');
const after = updateReadmeTables(before);
writeFileSync(readmePath, after);
process.stdout.write(before === after ? 'README.md tables already up to date\n' : 'README.md tables updated\n');
