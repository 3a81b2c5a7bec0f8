import type { RemoteInfo } from 'node:dgram';
import {
  RequestCheck,
  TYPE_OFFSET,
  UNSUPPORTED_VERSION_ERROR_BYTES,
  checkRequest,
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

const DROP_BY_CHECK: Readonly<Record<RequestCheck, DropReason>> = {
  [RequestCheck.OK]: DropReason.INTERNAL_ERROR, // not used: OK is never dropped here
  [RequestCheck.TOO_SHORT]: DropReason.TOO_SHORT,
  [RequestCheck.BAD_MAGIC]: DropReason.BAD_MAGIC,
  [RequestCheck.UNSUPPORTED_VERSION]: DropReason.UNSUPPORTED_VERSION,
  [RequestCheck.REPLY_TYPE]: DropReason.REPLY_TYPE,
  [RequestCheck.UNKNOWN_TYPE]: DropReason.UNKNOWN_TYPE,
};

/**
 * The per-datagram path: decode → guards → handler → send. Each datagram ends in exactly one of: one reply of
 * at most its own length, or one drop counted under one reason. The request buffer is Node's own copy of the
 * datagram, so the reply is written over it and nothing is allocated.
 */
export function createDatagramHandler(pipeline: DatagramPipeline): DatagramHandler {
  const { maxDatagramBytes, protocolVersion, guards, handlers, stats, send } = pipeline;
  const guardCount = guards.length;

  return function handleDatagram(request, remote) {
    // 1. Decode: is this a request we may answer?
    const check = checkRequest(request, protocolVersion);
    const handler = check === RequestCheck.OK ? handlers[request[TYPE_OFFSET] as number] : undefined;
    stats.received[handler === undefined ? ReceivedKind.OTHER : handler.receivedKind]++;
    if (request.length > maxDatagramBytes) {
      stats.dropped[DropReason.OVERSIZE]++;
      return;
    }
    if (handler === undefined && check !== RequestCheck.UNSUPPORTED_VERSION) {
      stats.dropped[DROP_BY_CHECK[check]]++;
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
