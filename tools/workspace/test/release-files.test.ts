import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe('the files a consumer of a release looks for', () => {
  it('include a LICENSE whose text is the license package.json names', () => {
    const license = (JSON.parse(read('package.json')) as { license: string }).license;
    expect(license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
    expect(read('LICENSE')).toMatch(/THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
  });

  it('include a SECURITY.md that says how to report privately and points at the threat model', () => {
    const text = read('SECURITY.md');
    expect(text).toMatch(/## Reporting a vulnerability/);
    expect(text).toMatch(/not open a public issue/);
    expect(text).toContain('(docs/security.md)');
    expect(existsSync(join(ROOT, 'docs', 'security.md'))).toBe(true);
  });

  it('pin the Node version for version managers (.nvmrc)', () => {
    expect(read('.nvmrc').trim()).toMatch(/^\d+$/);
  });
});
