import { MESSAGES, createRequestRouter, type RequestCodec } from '@ricochet/protocol';
import { DropReason } from './drop-reasons';
import { ACCEPT } from './guards';
import type { HandlerContext, HandlerFactory } from './handlers';
import type { ServerStats } from './server-stats';
import type { Service } from './service';

/**
 * Everything the per-datagram path needs to know about a datagram once its header has been read (fastify's route
 * context): which counters it bumps, whether it is dropped outright, how long it must be to take its reply, and
 * how that reply is written. Every route is built at start-up; a datagram only picks one.
 */
export interface Route {
  /** Index into `stats.received`. */
  readonly receivedKind: number;
  /** ACCEPT, or the reason every datagram on this route is dropped, before the guards run. */
  readonly verdict: DropReason | typeof ACCEPT;
  /** The reply is written over the request: a shorter request is dropped under `shortRequestDrop`. */
  readonly minRequestBytes: number;
  readonly shortRequestDrop: DropReason;
  /** Index into `stats.replies`. */
  readonly replyKind: number;
  /** Overwrites the request (its first `length` bytes) with its reply and returns the reply's length. */
  readonly writeReply: (request: Buffer, length: number) => number;
}

export interface RouterOptions {
  readonly service: Service;
  readonly stats: ServerStats;
  readonly context: HandlerContext;
  /** The version served; requests in any other get the ERROR route. */
  readonly protocolVersion: number;
}

/** Builds every route, and returns the function that picks one per datagram. */
export function createRouter(options: RouterOptions): (datagram: Buffer, length: number) => Route {
  const { service, stats, context, protocolVersion } = options;
  const other = stats.receivedKindOf(undefined);
  const drop = (reason: DropReason): Route => ({
    receivedKind: other,
    verdict: reason,
    // Never reached (the verdict drops first), and would drop again if it were.
    minRequestBytes: Number.POSITIVE_INFINITY,
    shortRequestDrop: reason,
    replyKind: 0,
    writeReply: () => 0,
  });
  // A request in another version is not served, but answered with an ERROR naming ours, when that fits.
  const { ERROR } = MESSAGES.byName;
  const { unsupportedVersionBytes, writeUnsupportedVersionOver } = ERROR.inPlace;
  const otherVersion: Route = {
    receivedKind: other,
    verdict: ACCEPT,
    minRequestBytes: unsupportedVersionBytes,
    shortRequestDrop: DropReason.UNSUPPORTED_VERSION,
    replyKind: stats.replyKindOf(ERROR),
    writeReply: (request) => writeUnsupportedVersionOver(request, protocolVersion),
  };
  const request = (codec: RequestCodec): Route => {
    // defineService made sure every request type has one.
    const handler = (service.handlers[codec.name] as HandlerFactory)(context);
    return {
      receivedKind: stats.receivedKindOf(codec),
      verdict: ACCEPT,
      minRequestBytes: handler.minRequestBytes,
      shortRequestDrop: DropReason.REPLY_EXCEEDS_REQUEST,
      replyKind: stats.replyKindOf(codec.reply),
      writeReply: handler.writeReply,
    };
  };
  return createRequestRouter({
    table: service.messages,
    version: protocolVersion,
    routes: {
      tooShort: drop(DropReason.TOO_SHORT),
      badMagic: drop(DropReason.BAD_MAGIC),
      replyType: drop(DropReason.REPLY_TYPE),
      unknownType: drop(DropReason.UNKNOWN_TYPE),
      otherVersion,
      request,
    },
  });
}
