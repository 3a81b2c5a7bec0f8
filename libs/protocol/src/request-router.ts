import {
  HEADER_BYTES,
  MAGIC,
  MAGIC_OFFSET,
  PROTOCOL_VERSION,
  REPLY_FLAG,
  TYPE_OFFSET,
  VERSION_OFFSET,
} from './constants';
import type { RequestCodec } from './message-codec';
import type { MessageTable } from './message-table';

/** Where each kind of datagram goes. R is whatever the caller routes to: a server's route, a drop reason, … */
export interface DatagramRoutes<R> {
  /** Under a header's 8 bytes. */
  readonly tooShort: R;
  /** Not "RC". */
  readonly badMagic: R;
  /** Type 0x80–0xff, known or not, in ANY version: a reply is never answered. */
  readonly replyType: R;
  /** A request (high bit clear) in another version than the one served. */
  readonly otherVersion: R;
  /** A request type the table does not hold. */
  readonly unknownType: R;
  /** Called once per request type of the table, at start-up. */
  readonly request: (codec: RequestCodec) => R;
}

export interface RequestRouterOptions<R> {
  readonly table: MessageTable;
  readonly routes: DatagramRoutes<R>;
  /** The version served (default PROTOCOL_VERSION; tests run a server of another version beside it). */
  readonly version?: number;
}

/**
 * A server's first look at a datagram: from its header alone, which route it takes. Every route is built here, at
 * start-up, so the returned function only reads the header and one array: no allocation, no Error, so a flood of
 * garbage costs next to nothing. It agrees with `decode` on which datagrams are requests of the table.
 */
export function createRequestRouter<R>(options: RequestRouterOptions<R>): (datagram: Buffer, length?: number) => R {
  const { table, routes, version = PROTOCOL_VERSION } = options;
  const { tooShort, badMagic, replyType, otherVersion, unknownType } = routes;
  const byType = new Array<R>(REPLY_FLAG).fill(unknownType);
  for (const codec of table.requests) byType[codec.type] = routes.request(codec);

  // `length`: the datagram's bytes when `datagram` is longer, a slot of memory it was read into (batched I/O).
  return function routeDatagram(datagram, length = datagram.length) {
    if (length < HEADER_BYTES) return tooShort;
    if (datagram.readUInt16BE(MAGIC_OFFSET) !== MAGIC) return badMagic;
    const type = datagram[TYPE_OFFSET] as number;
    // The high bit of the type marks replies and errors in every version, past and future, so it is judged before
    // the version: answering a reply of any version (even with an ERROR) lets two servers answer each other forever.
    if ((type & REPLY_FLAG) !== 0) return replyType;
    if (datagram[VERSION_OFFSET] !== version) return otherVersion;
    return byType[type] as R;
  };
}
