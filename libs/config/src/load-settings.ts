import { parseArgs } from 'node:util';
import { configError } from '@ricochet/errors';
import { deepFreeze } from './deep-freeze';
import type { RawValue, Setting, SettingsTable, SettingsValues } from './setting';

export interface SettingsSource {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Command-line arguments after the program (and sub-command) name. */
  readonly argv: readonly string[];
}

/** A raw value and where it came from, as error messages name it (`--port`, `HOST`, `UDP_PORT`). */
interface RawSetting {
  readonly from: string;
  readonly value: RawValue;
}

/**
 * Reads every setting of `table` from `source`: a flag (or the command's argument) wins over the environment,
 * which wins over the default. An empty environment variable counts as unset. Throws one ConfigError listing
 * every problem, or returns the values deep-frozen.
 */
export function loadSettings<S extends SettingsTable>(table: S, source: SettingsSource): SettingsValues<S> {
  const given = parseCommandLine(table, source.argv);
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, definition] of Object.entries(table)) {
    const raw = given.get(definition) ?? fromEnv(definition, source.env);
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

const usageError = (problem: string): Error => configError('UDP_ERR_USAGE', [problem]);

function parseOrExplain<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

/** The settings the command line gives, by setting: its flags, short flags and the one argument, if any. */
function parseCommandLine(table: SettingsTable, argv: readonly string[]): Map<Setting<unknown>, RawSetting> {
  const settings = Object.values(table);
  const options = Object.fromEntries(
    settings.map((s) => [s.flag, s.short === undefined ? { type: s.kind } : { type: s.kind, short: s.short }]),
  );
  const argument = settings.find((s) => s.positional !== undefined);
  const parsed = parseOrExplain(() =>
    parseArgs({ args: attachDashValues(settings, argv), options, strict: true, allowPositionals: true, tokens: true }),
  );
  const byFlag = new Map(settings.map((s) => [s.flag, s]));
  const given = new Map<Setting<unknown>, RawSetting>();
  // Tokens, not values: an error must name what was typed (`-c` or `--count`); the last of repeats wins.
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    const s = byFlag.get(token.name);
    if (s !== undefined) given.set(s, { from: token.rawName, value: token.value ?? true });
  }
  const [first, ...extra] = parsed.positionals;
  if (first === undefined) return given;
  if (argument?.positional === undefined) throw usageError(`unexpected argument "${first}": this command takes none`);
  if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}": give one ${argument.positional}`);
  if (given.has(argument)) {
    throw usageError(`${argument.positional} given twice: as "${first}" and with --${argument.flag}; give it once`);
  }
  given.set(argument, { from: argument.positional, value: first });
  return given;
}

/**
 * `--timeout-ms -1` becomes `--timeout-ms=-1` (and `-W -1` becomes `-W-1`): parseArgs refuses a value that starts
 * with a dash as ambiguous, but for a flag that takes a value it can only be that value, and the setting's own
 * check then says what is allowed.
 */
function attachDashValues(settings: readonly Setting<unknown>[], argv: readonly string[]): string[] {
  const valued = settings.filter((s) => s.kind === 'string');
  const long = new Set(valued.map((s) => `--${s.flag}`));
  const short = new Set(valued.flatMap((s) => (s.short === undefined ? [] : [`-${s.short}`])));
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const dashValue = next !== undefined && next.startsWith('-') && !next.startsWith('--');
    if (dashValue && long.has(arg)) args.push(`${arg}=${next}`);
    else if (dashValue && short.has(arg)) args.push(`${arg}${next}`);
    else {
      args.push(arg);
      continue;
    }
    i++;
  }
  return args;
}

function fromEnv(definition: Setting<unknown>, env: SettingsSource['env']): RawSetting | undefined {
  if (definition.env === undefined) return undefined;
  const value = env[definition.env];
  return value === undefined || value === '' ? undefined : { from: definition.env, value };
}
