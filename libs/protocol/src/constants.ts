// Wire format v1. All integers are big-endian.
//
//   0      1      2      3      4                          8
//   +------+------+------+------+--------------------------+--------
//   | 0x52 | 0x43 | ver  | type |  request id (u32)        | body…
//   +------+------+------+------+--------------------------+--------

export const MAGIC = 0x5243; // "RC"
export const PROTOCOL_VERSION = 0x01;

export const MAGIC_OFFSET = 0;
export const VERSION_OFFSET = 2;
export const TYPE_OFFSET = 3;
export const REQUEST_ID_OFFSET = 4;
export const HEADER_BYTES = 8;

/** Types with this bit set are replies or errors; a server never answers one. */
export const REPLY_FLAG = 0x80;

/** The largest payload one IPv4 UDP datagram can carry. */
export const MAX_UDP_PAYLOAD_BYTES = 65_507;

export const MAX_REQUEST_ID = 0xffff_ffff;

// HEALTH_STATUS body: status (u8), uptime in seconds (u32), version length (u8), version (UTF-8).
export const HEALTH_STATUS_FIXED_BYTES = 6;
export const MAX_SERVER_VERSION_BYTES = 32;
export const MAX_HEALTH_STATUS_BODY_BYTES = HEALTH_STATUS_FIXED_BYTES + MAX_SERVER_VERSION_BYTES;

/**
 * How long a HEALTH request should be. A reply is never longer than its request, so a prober pads its HEALTH
 * request to fit the longest HEALTH_STATUS any server can send.
 */
export const PADDED_HEALTH_REQUEST_BYTES = HEADER_BYTES + MAX_HEALTH_STATUS_BODY_BYTES;

// ERROR body: error code (u8), the version the sender speaks (u8).
export const ERROR_BODY_BYTES = 2;
