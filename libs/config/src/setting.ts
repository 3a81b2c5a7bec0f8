// zod/mini: the same validators as `zod`, tree-shakable. The probe runs every few seconds in every pod, so its
// start-up cost matters: the classic API would add about 450 kB and 50 ms to each run.
import * as z from 'zod/mini';

/** Raw values arrive as strings (environment, `--flag value`) or booleans (`--flag` alone). */
export type RawValue = string | boolean;

/** The JSON Schema of a setting's value where it is written as data (the chart's values), not as text. */
export interface ValueSchema {
  readonly type: 'integer' | 'number' | 'string' | 'boolean' | 'array';
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly items?: ValueSchema;
}

/** One setting: where it is read from, its default, and how its raw text becomes a typed value. */
export interface Setting<T> {
  /** Environment variable, if the setting can come from the environment. */
  readonly env?: string;
  /** Command-line flag, without the leading dashes. A flag wins over the environment. */
  readonly flag: string;
  /** One-letter alias of the flag (`c` for `-c`), where users know the letter from another tool (ping(8)). */
  readonly short?: string;
  /**
   * The setting may also be given as the command's argument, named so in usage (`HOST` in `ping HOST`). A table
   * has at most one such setting; giving both the argument and the flag is a usage error.
   */
  readonly positional?: string;
  readonly kind: 'string' | 'boolean';
  /** `undefined` for a setting that is off unless given (it then reads as `undefined`). */
  readonly default: T;
  readonly schema: z.ZodMiniType<T, RawValue>;
  /** What a valid value looks like, as shown in error messages and the README table. */
  readonly expected: string;
  /** The same rule for a value given as data: the chart's values.schema.json is generated from it. */
  readonly valueSchema: ValueSchema;
  readonly description: string;
}

export type SettingsTable = Readonly<Record<string, Setting<unknown>>>;

export type SettingsValues<S extends SettingsTable> = {
  readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};

type Parser<T> = Pick<Setting<T>, 'schema' | 'expected' | 'kind' | 'valueSchema'>;

const trimmed = z.string().check(z.trim());

// JSON Schema has no address format every validator checks, so the chart's schema catches the usual slips (a host
// name, a missing octet) with a shape; the server's own check, at start, is exact.
const ADDRESS_SHAPE = '^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$';
const CIDR_SHAPE = '^[0-9A-Fa-f:.]+/[0-9]{1,3}$';

export function integer(min: number, max: number): Parser<number> {
  return {
    kind: 'string',
    expected: `an integer from ${min} to ${max}`,
    valueSchema: { type: 'integer', minimum: min, maximum: max },
    schema: z.pipe(
      z.pipe(z.string().check(z.trim(), z.regex(/^-?\d+$/)), z.transform(Number)),
      z.int().check(z.minimum(min), z.maximum(max)),
    ),
  };
}

export function decimal(min: number, max: number): Parser<number> {
  return {
    kind: 'string',
    expected: `a number from ${min} to ${max}`,
    valueSchema: { type: 'number', minimum: min, maximum: max },
    schema: z.pipe(
      z.pipe(z.string().check(z.trim(), z.regex(/^-?\d+(\.\d+)?$/)), z.transform(Number)),
      z.number().check(z.minimum(min), z.maximum(max)),
    ),
  };
}

export function oneOf<const V extends readonly [string, ...string[]]>(values: V): Parser<V[number]> {
  return {
    kind: 'string',
    expected: `one of ${values.join(', ')}`,
    valueSchema: { type: 'string', enum: values },
    schema: z.pipe(trimmed, z.enum(values)) as unknown as z.ZodMiniType<V[number], RawValue>,
  };
}

export function ipAddress(): Parser<string> {
  return {
    kind: 'string',
    expected: 'an IPv4 or IPv6 address such as 0.0.0.0, 127.0.0.1 or ::',
    valueSchema: { type: 'string', pattern: ADDRESS_SHAPE },
    schema: z.pipe(trimmed, z.union([z.ipv4(), z.ipv6()])),
  };
}

// A top-level label is never all digits (RFC 3696 §2), so `999.1.1.1` is a bad address, not a name to resolve.
const DNS_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*(?![0-9]+\.?$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.?$/i;

export function hostOrAddress(): Parser<string> {
  return {
    kind: 'string',
    expected: 'an IPv4 or IPv6 address or a DNS name such as udp-server.default.svc',
    valueSchema: { type: 'string' },
    schema: z.pipe(trimmed, z.union([z.ipv4(), z.ipv6(), z.string().check(z.regex(DNS_NAME))])),
  };
}

/** A comma-separated list of CIDR blocks (`10.0.0.0/8,::1/128`), or `none` (an empty variable means the default). */
export function cidrList(): Parser<readonly string[]> {
  return {
    kind: 'string',
    expected: 'comma-separated CIDR blocks such as 127.0.0.0/8,::1/128, or none',
    // As data the list is an array (the chart joins it with commas into the variable).
    valueSchema: { type: 'array', items: { type: 'string', pattern: CIDR_SHAPE } },
    schema: z.pipe(
      z.pipe(
        trimmed,
        z.transform((text: string) =>
          text === '' || text === 'none' ? [] : text.split(',').map((part) => part.trim()),
        ),
      ),
      z.array(z.union([z.cidrv4(), z.cidrv6()])),
    ) as unknown as z.ZodMiniType<readonly string[], RawValue>,
  };
}

export function flag(): Parser<boolean> {
  return { kind: 'boolean', expected: 'no value (a switch)', valueSchema: { type: 'boolean' }, schema: z.boolean() };
}

export function setting<T>(definition: Setting<T>): Setting<T> {
  return definition;
}
