// The values table of the chart's README.md, generated from values.yaml: a `# --` comment above a key documents
// it (helm-docs' convention, which values.yaml already follows), its default is what values.yaml holds and its
// type what values.schema.json says. A key without a `# --` comment is a section: its keys are documented one by
// one. `nx run helm:readme` rewrites the table; a test fails when README.md differs from what this would write.
import { type Pair, type Scalar, type YAMLMap, isMap, parseDocument } from 'yaml';

/** The parts of a JSON Schema the table reads. */
export interface JsonSchema {
  type?: string | string[];
  $ref?: string;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
}

export interface ValueRow {
  /** Dotted path, e.g. service.sessionAffinityConfig.clientIP.timeoutSeconds. */
  key: string;
  type: string;
  default: unknown;
  description: string;
}

export interface ValuesDocumentation {
  rows: ValueRow[];
  /** Keys that are neither documented by a `# --` comment nor sections of documented keys. */
  undocumented: string[];
}

export const TABLE_START = '<!-- values:start -->';
export const TABLE_END = '<!-- values:end -->';

const DOC_LINE = /^\s*--(\s|$)/;

/** The `# --` part of a comment block (from its last `--` line to its end) as one line, or undefined. */
function docComment(comment: string | undefined): string | undefined {
  const lines = (comment ?? '').split('\n');
  const start = lines.findLastIndex((line) => DOC_LINE.test(line));
  if (start < 0) return undefined;
  return lines.slice(start).join(' ').replace(DOC_LINE, '').replace(/\s+/g, ' ').trim();
}

function resolve(root: JsonSchema, node: JsonSchema | undefined): JsonSchema | undefined {
  const name = node?.$ref?.replace(/^#\/definitions\//, '');
  return name === undefined ? node : resolve(root, root.definitions?.[name]);
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  integer: 'int',
  number: 'number',
  boolean: 'bool',
  array: 'list',
  object: 'object',
  string: 'string',
  null: 'null',
};

/** The schema's type of a value ("int or string" for int-or-percent), else the type of its default. */
function typeName(root: JsonSchema, node: JsonSchema | undefined, value: unknown): string {
  const types = new Set<string>();
  const collect = (n: JsonSchema | undefined): void => {
    const resolved = resolve(root, n);
    if (resolved === undefined) return;
    for (const t of [resolved.type ?? []].flat()) types.add(t);
    for (const alternative of [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])]) collect(alternative);
  };
  collect(node);
  if (types.size === 0) types.add(value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
  return [...types].map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

/** Every documented key of values.yaml, in file order, with its type, default and description. */
export function documentValues(valuesYaml: string, schema: JsonSchema): ValuesDocumentation {
  const rows: ValueRow[] = [];
  const undocumented: string[] = [];
  const walk = (map: YAMLMap, path: string[], node: JsonSchema | undefined): void => {
    map.items.forEach((item, index) => {
      const pair = item as Pair<Scalar, unknown>;
      const key = [...path, String(pair.key.value)];
      const child = resolve(schema, node)?.properties?.[String(pair.key.value)];
      const description = docComment(pair.key.commentBefore ?? (index === 0 ? map.commentBefore : null) ?? undefined);
      if (description !== undefined) {
        const value: unknown = (pair.value as { toJSON(): unknown } | null)?.toJSON() ?? null;
        rows.push({ key: key.join('.'), type: typeName(schema, child, value), default: value, description });
      } else if (isMap(pair.value) && pair.value.items.length > 0) {
        walk(pair.value, key, child);
      } else {
        undocumented.push(key.join('.'));
      }
    });
  };
  const doc = parseDocument(valuesYaml);
  if (!isMap(doc.contents)) throw new Error('values.yaml must hold a map');
  walk(doc.contents, [], schema);
  return { rows, undocumented };
}

/** Markdown table text: `|` escaped everywhere, and outside code spans what would turn into HTML or emphasis. */
function cell(text: string): string {
  return text
    .split('`')
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/[<>*]/g, (c) => ({ '<': '&lt;', '>': '&gt;' })[c] ?? `\\${c}`),
    )
    .join('`')
    .replace(/\|/g, '\\|');
}

export function renderValuesTable(rows: readonly ValueRow[]): string {
  const lines = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const row of rows) {
    lines.push(
      `| \`${row.key}\` | ${row.type} | ${cell(`\`${JSON.stringify(row.default)}\``)} | ${cell(row.description)} |`,
    );
  }
  return lines.join('\n');
}

/** README.md with the values table between its markers replaced by the one values.yaml documents. */
export function updateChartReadme(readme: string, valuesYaml: string, schema: JsonSchema): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${TABLE_START} and ${TABLE_END}`);
  const { rows, undocumented } = documentValues(valuesYaml, schema);
  if (undocumented.length > 0) {
    throw new Error(`values.yaml: no "# --" comment documents ${undocumented.join(', ')}`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderValuesTable(rows)}\n${readme.slice(end)}`;
}
