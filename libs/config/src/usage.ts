import type { Setting, SettingsTable } from './setting';

/** How a default reads in help and the README; a setting without one is off unless given. */
function showDefault(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every way to give the setting on the command line: `HOST`, `-c`, `--count`. */
function spellings(s: Setting<unknown>): string[] {
  return [s.positional, s.short === undefined ? undefined : `-${s.short}`, `--${s.flag}`].filter(
    (name): name is string => name !== undefined,
  );
}

/** The options part of a `--help` text. */
export function renderOptions(table: SettingsTable): string {
  const rows = Object.values(table).map((s) => {
    const names = spellings(s).join(', ');
    const name = s.kind === 'boolean' ? names : `${names} <value>`;
    const shown = showDefault(s.default);
    const origin = [s.env ? `env ${s.env}` : undefined, shown === undefined ? 'no default' : `default ${shown}`]
      .filter(Boolean)
      .join(', ');
    return [name, `${s.description.replaceAll('`', '')} (${origin}; ${s.expected})`] as const;
  });
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  return rows.map(([name, text]) => `  ${name.padEnd(width)}${text}`).join('\n');
}

/** A Markdown table of the settings, for the README. */
export function renderMarkdownTable(table: SettingsTable): string {
  const lines = ['| Variable | Flag | Default | Accepts | What it does |', '| --- | --- | --- | --- | --- |'];
  for (const s of Object.values(table)) {
    const variable = s.env ? `\`${s.env}\`` : '—';
    const flags = spellings(s)
      .map((name) => `\`${name}\``)
      .join(', ');
    const shown = showDefault(s.default);
    const value = shown === undefined ? '—' : `\`${shown}\``;
    lines.push(`| ${variable} | ${flags} | ${value} | ${s.expected} | ${s.description} |`);
  }
  return lines.join('\n');
}
