import { hexByte } from './message-codec';
import type { MessageTable } from './message-table';

/** The README's types table: one row per type of `table`, in type-byte order. */
export function renderMessageTable(table: MessageTable): string {
  const rows = table.codecs.map((codec) => {
    const answeredWith = codec.kind === 'request' ? codec.reply.name : 'never';
    return `| \`${hexByte(codec.type)}\` | ${codec.name} | ${codec.body} | ${answeredWith} |`;
  });
  return ['| type | name | body | answered with |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

const SECTION = /(<!-- messages:start -->)[\s\S]*?(<!-- messages:end -->)/;

/** Returns `readme` with the generated types table replaced by the rendering of `table`. */
export function updateReadmeMessageTable(readme: string, table: MessageTable): string {
  return readme.replace(
    SECTION,
    (_match, start: string, end: string) => `${start}\n${renderMessageTable(table)}\n${end}`,
  );
}
