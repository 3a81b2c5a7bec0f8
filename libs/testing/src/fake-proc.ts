import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './temp-dir';

/**
 * A stand-in for /proc holding only the given `net/` files (`{ udp: '…', snmp: '…' }`), for code that takes its
 * proc root as a parameter. Removed like any makeTempDir directory.
 */
export function fakeProcNet(files: Readonly<Record<string, string>>): string {
  const root = makeTempDir('proc');
  mkdirSync(join(root, 'net'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'net', name), text);
  return root;
}
