// Why a datagram got no answer. One counter per reason; the names become metric label values, so they are
// snake_case and never renamed.
export const DropReason = {
  TOO_SHORT: 0,
  OVERSIZE: 1,
  BAD_MAGIC: 2,
  UNSUPPORTED_VERSION: 3,
  REPLY_TYPE: 4,
  UNKNOWN_TYPE: 5,
  PRIVILEGED_SOURCE_PORT: 6,
  REPLY_EXCEEDS_REQUEST: 7,
  INTERNAL_ERROR: 8,
  RATE_LIMITED: 9,
} as const;

export type DropReason = (typeof DropReason)[keyof typeof DropReason];

export const DROP_REASON_NAMES: readonly string[] = [
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
];
