import { HEADER_BYTES, MAGIC, MAGIC_OFFSET, PROTOCOL_VERSION, TYPE_OFFSET, VERSION_OFFSET } from './constants';
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

export function checkRequest(buf: Buffer): RequestCheck {
  if (buf.length < HEADER_BYTES) return RequestCheck.TOO_SHORT;
  if (buf.readUInt16BE(MAGIC_OFFSET) !== MAGIC) return RequestCheck.BAD_MAGIC;
  if (buf[VERSION_OFFSET] !== PROTOCOL_VERSION) return RequestCheck.UNSUPPORTED_VERSION;
  const type = buf[TYPE_OFFSET] as number;
  if (type === MessageType.PING || type === MessageType.HEALTH) return RequestCheck.OK;
  // The high bit marks replies and errors, known or not: answering one could start a loop between two servers.
  return type >= 0x80 ? RequestCheck.REPLY_TYPE : RequestCheck.UNKNOWN_TYPE;
}
