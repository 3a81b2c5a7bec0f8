import { parseArgs } from 'node:util';
import { configError } from '@ricochet/errors';
import { deepFreeze } from './deep-freeze';
import type { RawValue, Setting, SettingsTable, SettingsValues } from './setting';

export interface SettingsSource {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Command-line arguments after the program (and sub-command) name. */
  readonly argv: readonly string[];
}

/**
 * Reads every setting of `table` from `source`: a flag wins over the environment, which wins over the default.
 * An empty environment variable counts as unset. Throws one ConfigError listing every problem, or returns the
 * values deep-frozen.
 */
export function loadSettings<S extends SettingsTable>(table: S, source: SettingsSource): SettingsValues<S> {
  const flags = parseFlags(table, source.argv);
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, definition] of Object.entries(table)) {
    const raw = readRaw(definition, flags, source.env);
    if (raw === undefined) {
      values[key] = structuredClone(definition.default);
      continue;
    }
    const result = definition.schema.safeParse(raw.value);
    if (result.success) values[key] = result.data;
    else problems.push(`${raw.from}: expected ${definition.expected}, got ${JSON.stringify(raw.value)}`);
  }
  if (problems.length > 0) throw configError('UDP_ERR_CONFIG_INVALID', problems);
  return deepFreeze(values) as SettingsValues<S>;
}

function parseFlags(table: SettingsTable, argv: readonly string[]): Record<string, RawValue | undefined> {
  const options = Object.fromEntries(Object.values(table).map((s) => [s.flag, { type: s.kind }]));
  try {
    return parseArgs({ args: attachDashValues(table, argv), options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw configError('UDP_ERR_USAGE', [(err as Error).message]);
  }
}

/**
 * `--timeout-ms -1` becomes `--timeout-ms=-1`: parseArgs refuses a value that starts with a dash as ambiguous, but
 * for a flag that takes a value it can only be that value, and the setting's own check then says what is allowed.
 */
function attachDashValues(table: SettingsTable, argv: readonly string[]): string[] {
  const valued = new Set(
    Object.values(table)
      .filter((s) => s.kind === 'string')
      .map((s) => `--${s.flag}`),
  );
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (valued.has(arg) && next !== undefined && next.startsWith('-') && !next.startsWith('--')) {
      args.push(`${arg}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  return args;
}

function readRaw(
  definition: Setting<unknown>,
  flags: Record<string, RawValue | undefined>,
  env: SettingsSource['env'],
): { from: string; value: RawValue } | undefined {
  const fromFlag = flags[definition.flag];
  if (fromFlag !== undefined) return { from: `--${definition.flag}`, value: fromFlag };
  if (definition.env !== undefined) {
    const fromEnv = env[definition.env];
    if (fromEnv !== undefined && fromEnv !== '') return { from: definition.env, value: fromEnv };
  }
  return undefined;
}
