import { checkSettings, pingSettings } from './probe-settings';
import { serverSettings } from './server-settings';
import type { SettingsTable } from './setting';
import { renderMarkdownTable } from './usage';

/** The README sections generated from the settings tables, by marker name. */
export const README_TABLES: Readonly<Record<string, SettingsTable>> = {
  server: serverSettings,
  check: checkSettings,
  ping: pingSettings,
};

const section = (name: string): RegExp =>
  new RegExp(`(<!-- settings:${name}:start -->)[\\s\\S]*?(<!-- settings:${name}:end -->)`);

/** Returns `readme` with every generated table replaced by its current rendering. */
export function updateReadmeTables(readme: string): string {
  let text = readme;
  for (const [name, table] of Object.entries(README_TABLES)) {
    text = text.replace(
      section(name),
      (_match, start: string, end: string) => `${start}\n${renderMarkdownTable(table)}\n${end}`,
    );
  }
  return text;
}
