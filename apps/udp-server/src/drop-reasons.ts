// Why a datagram got no answer. One counter per reason, in this order; the names are metric label values, so they
// are snake_case and never renamed.
export const DROP_REASON_NAMES = [
  'too_short',
  'oversize',
  'bad_magic',
  'unsupported_version',
  'reply_type',
  'unknown_type',
  'privileged_source_port',
  'reply_exceeds_request',
  'internal_error',
  'rate_limited',
] as const;

type Names = typeof DROP_REASON_NAMES;

/** Each reason's counter index by UPPER_SNAKE name (`DropReason.TOO_SHORT === 0`), derived from the list. */
export const DropReason = Object.fromEntries(DROP_REASON_NAMES.map((name, i) => [name.toUpperCase(), i])) as {
  readonly [I in keyof Names as I extends `${number}`
    ? Uppercase<Names[I]>
    : never]: I extends `${infer N extends number}` ? N : never;
};

export type DropReason = (typeof DropReason)[keyof typeof DropReason];
