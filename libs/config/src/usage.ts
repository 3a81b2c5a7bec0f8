import type { SettingsTable } from './setting';

function showDefault(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The options part of a `--help` text. */
export function renderOptions(table: SettingsTable): string {
  const rows = Object.values(table).map((s) => {
    const name = s.kind === 'boolean' ? `--${s.flag}` : `--${s.flag} <value>`;
    const origin = [s.env ? `env ${s.env}` : undefined, `default ${showDefault(s.default)}`].filter(Boolean).join(', ');
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
    lines.push(`| ${variable} | \`--${s.flag}\` | \`${showDefault(s.default)}\` | ${s.expected} | ${s.description} |`);
  }
  return lines.join('\n');
}
