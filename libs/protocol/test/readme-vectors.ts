import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HexVector {
  readonly name: string;
  readonly bytes: Buffer;
}

/** The hex vectors in libs/protocol/README.md: `# name: …` followed by one line of hex. */
export function readmeVectors(): { valid: HexVector[]; invalid: HexVector[] } {
  const text = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const valid: HexVector[] = [];
  const invalid: HexVector[] = [];
  const pattern = /^# (invalid )?([A-Za-z0-9_-]+):.*\n([0-9a-f ]+)$/gm;
  for (const match of text.matchAll(pattern)) {
    const [, isInvalid, name, hexText] = match as unknown as [string, string | undefined, string, string];
    const vector = { name, bytes: Buffer.from(hexText.replaceAll(' ', ''), 'hex') };
    (isInvalid ? invalid : valid).push(vector);
  }
  return { valid, invalid };
}
