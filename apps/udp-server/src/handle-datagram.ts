import type { RemoteInfo } from 'node:dgram';
import {
  MESSAGES,
  TYPE_OFFSET,
  UNSUPPORTED_VERSION_ERROR_BYTES,
  createRequestRouter,
  writeUnsupportedVersionOver,
} from '@ricochet/protocol';
import { DropReason } from './drop-reasons';
import { ACCEPT, type Guard } from './guards';
import type { HandlerEntry } from './handlers';
import { ReceivedKind, ReplyKind, type ServerStats } from './server-stats';

export type SendReply = (reply: Buffer, length: number, remote: RemoteInfo, kind: ReplyKind) => void;
export type DatagramHandler = (request: Buffer, remote: RemoteInfo) => void;

export interface DatagramPipeline {
  readonly maxDatagramBytes: number;
  /** The protocol version served; others get an ERROR. Always PROTOCOL_VERSION but in cross-version tests. */
  readonly protocolVersion: number;
  readonly guards: readonly Guard[];
  readonly handlers: readonly (HandlerEntry | undefined)[];
  readonly stats: ServerStats;
  readonly send: SendReply;
}

/**
 * The per-datagram path: decode → guards → handler → send. Each datagram ends in exactly one of: one reply of
 * at most its own length, or one drop counted under one reason. The request buffer is Node's own copy of the
 * datagram, so the reply is written over it and nothing is allocated.
 */
export function createDatagramHandler(pipeline: DatagramPipeline): DatagramHandler {
  const { maxDatagramBytes, protocolVersion, guards, handlers, stats, send } = pipeline;
  const guardCount = guards.length;
  const check = createRequestRouter<DropReason | typeof ACCEPT>({
    table: MESSAGES,
    version: protocolVersion,
    routes: {
      tooShort: DropReason.TOO_SHORT,
      badMagic: DropReason.BAD_MAGIC,
      replyType: DropReason.REPLY_TYPE,
      otherVersion: DropReason.UNSUPPORTED_VERSION,
      unknownType: DropReason.UNKNOWN_TYPE,
      request: () => ACCEPT,
    },
  });

  return function handleDatagram(request, remote) {
    // 1. Decode: is this a request we may answer?
    const verdict = check(request);
    const handler = verdict === ACCEPT ? handlers[request[TYPE_OFFSET] as number] : undefined;
    stats.received[handler === undefined ? ReceivedKind.OTHER : handler.receivedKind]++;
    if (request.length > maxDatagramBytes) {
      stats.dropped[DropReason.OVERSIZE]++;
      return;
    }
    if (handler === undefined && verdict !== DropReason.UNSUPPORTED_VERSION) {
      stats.dropped[verdict === ACCEPT ? DropReason.INTERNAL_ERROR : verdict]++;
      return;
    }

    // 2. Guards: policy on who gets an answer.
    for (let i = 0; i < guardCount; i++) {
      const verdict = (guards[i] as Guard)(request, remote);
      if (verdict !== ACCEPT) {
        stats.dropped[verdict]++;
        return;
      }
    }

    // 3. Handle: overwrite the request with its reply.
    if (handler === undefined) {
      // A request in another version is not served, but is answered with an ERROR naming ours (counted as that
      // reply, not as a drop) when the ERROR is no longer than the request; a shorter one is dropped.
      if (request.length < UNSUPPORTED_VERSION_ERROR_BYTES) {
        stats.dropped[DropReason.UNSUPPORTED_VERSION]++;
        return;
      }
      send(request, writeUnsupportedVersionOver(request, protocolVersion), remote, ReplyKind.ERROR);
      return;
    }
    const length = handler.handle(request);
    if (length === 0) {
      stats.dropped[DropReason.REPLY_EXCEEDS_REQUEST]++;
      return;
    }

    // 4. Send.
    send(request, length, remote, handler.replyKind);
  };
}
