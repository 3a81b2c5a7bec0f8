import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deepFreeze } from './deep-freeze';
import { serverSettings } from './server-settings';
import { pingSettings } from './probe-settings';
import { README_TABLES, updateReadmeTables } from './readme-tables';
import { renderMarkdownTable, renderOptions } from './usage';

describe('renderOptions', () => {
  it('shows each flag with its variable, default and accepted values', () => {
    const text = renderOptions(serverSettings);
    expect(text).toMatch(
      /--port <value> +UDP port to bind\. .*\(env UDP_PORT, default 9999; an integer from 0 to 65535\)/,
    );
  });

  it('shows switches without a value', () => {
    expect(renderOptions(pingSettings)).toMatch(/--json +Print one JSON summary/);
  });

  it('shows the argument and the short option before the flag, and a setting without a default as such', () => {
    const text = renderOptions(pingSettings);
    expect(text).toMatch(/ HOST, --host <value> +Server to probe/);
    expect(text).toMatch(/ -c, --count <value> +Stop after .*\(no default; an integer from 1 to 1000000\)/);
    expect(text).toMatch(/ -q, --quiet +Print only/);
  });

  it('writes every spelling of a flag in the Markdown table, and a dash for no default', () => {
    const table = renderMarkdownTable(pingSettings);
    expect(table).toContain('| `PROBE_HOST` | `HOST`, `--host` | `127.0.0.1` |');
    expect(table).toContain('| — | `-c`, `--count` | — | an integer from 1 to 1000000 |');
    expect(table).toContain('| — | `-i`, `--interval` | `1` | a number from 0.002 to 3600 |');
  });
});

describe('the README configuration tables', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

  it.each(Object.keys(README_TABLES))('has a generated %s table', (name) => {
    expect(readme).toContain(`<!-- settings:${name}:start -->`);
    expect(readme).toContain(`<!-- settings:${name}:end -->`);
  });

  it('are the ones generated from the settings tables (run `nx run config:generate` after changing a setting)', () => {
    expect(updateReadmeTables(readme)).toBe(readme);
  });

  it('include every server default from the one table', () => {
    expect(readme).toContain(renderMarkdownTable(serverSettings));
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays', () => {
    const value = deepFreeze({ a: { b: [1, 2] } });
    expect(Object.isFrozen(value.a.b)).toBe(true);
  });
});
