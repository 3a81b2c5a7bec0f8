import {
  HEADER_BYTES,
  MAGIC,
  MAGIC_OFFSET,
  PROTOCOL_VERSION,
  REPLY_FLAG,
  TYPE_OFFSET,
  VERSION_OFFSET,
} from './constants';
import { MessageType } from './message-types';

/**
 * What a server may do with a datagram, judged from its header alone. The non-throwing twin of
 * `header.decode`, for the per-datagram path: a flood of garbage must not cost an Error per datagram.
 */
export const RequestCheck = {
  OK: 0,
  TOO_SHORT: 1,
  BAD_MAGIC: 2,
  UNSUPPORTED_VERSION: 3,
  REPLY_TYPE: 4,
  UNKNOWN_TYPE: 5,
} as const;

export type RequestCheck = (typeof RequestCheck)[keyof typeof RequestCheck];

/**
 * `version` is the version this server speaks (tests run a second server on another version to prove the two
 * cannot loop).
 */
export function checkRequest(buf: Buffer, version: number = PROTOCOL_VERSION): RequestCheck {
  if (buf.length < HEADER_BYTES) return RequestCheck.TOO_SHORT;
  if (buf.readUInt16BE(MAGIC_OFFSET) !== MAGIC) return RequestCheck.BAD_MAGIC;
  const type = buf[TYPE_OFFSET] as number;
  // The high bit of the type marks replies and errors in every version, past and future, so it is judged before
  // the version: answering a reply of any version (even with an ERROR) lets two servers answer each other forever.
  if ((type & REPLY_FLAG) !== 0) return RequestCheck.REPLY_TYPE;
  if (buf[VERSION_OFFSET] !== version) return RequestCheck.UNSUPPORTED_VERSION;
  return type === MessageType.PING || type === MessageType.HEALTH ? RequestCheck.OK : RequestCheck.UNKNOWN_TYPE;
}
