import {
  HEADER_BYTES,
  MAGIC,
  MAGIC_OFFSET,
  MAX_REQUEST_ID,
  PROTOCOL_VERSION,
  REQUEST_ID_OFFSET,
  TYPE_OFFSET,
  VERSION_OFFSET,
} from './constants';
import { protocolError } from '@ricochet/errors';
import { ensureCapacity, ensureReadable } from './bounds';

/** The header every message starts with. Which types exist is the message table's business, not the header's. */
export interface Header {
  readonly type: number;
  readonly requestId: number;
}

/** Writes the header at `offset` and returns the offset just past it. */
export function writeHeader(header: Header, buf: Buffer, offset = 0): number {
  if (!Number.isInteger(header.requestId) || header.requestId < 0 || header.requestId > MAX_REQUEST_ID) {
    throw protocolError(
      'UDP_ERR_VALUE_RANGE',
      'requestId',
      `an integer from 0 to ${MAX_REQUEST_ID}`,
      String(header.requestId),
    );
  }
  ensureCapacity(buf, offset, HEADER_BYTES);
  buf.writeUInt16BE(MAGIC, offset + MAGIC_OFFSET);
  buf[offset + VERSION_OFFSET] = PROTOCOL_VERSION;
  buf[offset + TYPE_OFFSET] = header.type;
  buf.writeUInt32BE(header.requestId, offset + REQUEST_ID_OFFSET);
  return offset + HEADER_BYTES;
}

/** Strict: throws a coded ProtocolError for truncation, bad magic or another version. */
export function decode(buf: Buffer, offset = 0, end = buf.length): Header {
  ensureReadable('header', offset, HEADER_BYTES, end);
  const magic = buf.readUInt16BE(offset + MAGIC_OFFSET);
  if (magic !== MAGIC) throw protocolError('UDP_ERR_BAD_MAGIC', offset + MAGIC_OFFSET, magic);
  const version = buf[offset + VERSION_OFFSET] as number;
  if (version !== PROTOCOL_VERSION) {
    throw protocolError('UDP_ERR_UNSUPPORTED_VERSION', offset + VERSION_OFFSET, version, PROTOCOL_VERSION);
  }
  return { type: buf[offset + TYPE_OFFSET] as number, requestId: buf.readUInt32BE(offset + REQUEST_ID_OFFSET) };
}
