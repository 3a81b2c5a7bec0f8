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
