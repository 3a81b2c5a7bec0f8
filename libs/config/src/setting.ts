// zod/mini: the same validators as `zod`, tree-shakable. The probe runs every few seconds in every pod, so its
// start-up cost matters: the classic API would add about 450 kB and 50 ms to each run.
import * as z from 'zod/mini';

/** Raw values arrive as strings (environment, `--flag value`) or booleans (`--flag` alone). */
export type RawValue = string | boolean;

/** One setting: where it is read from, its default, and how its raw text becomes a typed value. */
export interface Setting<T> {
  /** Environment variable, if the setting can come from the environment. */
  readonly env?: string;
  /** Command-line flag, without the leading dashes. A flag wins over the environment. */
  readonly flag: string;
  readonly kind: 'string' | 'boolean';
  readonly default: T;
  readonly schema: z.ZodMiniType<T, RawValue>;
  /** What a valid value looks like, as shown in error messages and the README table. */
  readonly expected: string;
  readonly description: string;
}

export type SettingsTable = Readonly<Record<string, Setting<unknown>>>;

export type SettingsValues<S extends SettingsTable> = {
  readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};

type Parser<T> = Pick<Setting<T>, 'schema' | 'expected' | 'kind'>;

const trimmed = z.string().check(z.trim());

export function integer(min: number, max: number): Parser<number> {
  return {
    kind: 'string',
    expected: `an integer from ${min} to ${max}`,
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
    schema: z.pipe(trimmed, z.enum(values)) as unknown as z.ZodMiniType<V[number], RawValue>,
  };
}

export function ipAddress(): Parser<string> {
  return {
    kind: 'string',
    expected: 'an IPv4 or IPv6 address such as 0.0.0.0, 127.0.0.1 or ::',
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
    schema: z.pipe(trimmed, z.union([z.ipv4(), z.ipv6(), z.string().check(z.regex(DNS_NAME))])),
  };
}

/** A comma-separated list of CIDR blocks (`10.0.0.0/8,::1/128`), or `none` (an empty variable means the default). */
export function cidrList(): Parser<readonly string[]> {
  return {
    kind: 'string',
    expected: 'comma-separated CIDR blocks such as 127.0.0.0/8,::1/128, or none',
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
  return { kind: 'boolean', expected: 'no value (a switch)', schema: z.boolean() };
}

export function setting<T>(definition: Setting<T>): Setting<T> {
  return definition;
}
