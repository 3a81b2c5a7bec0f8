import { HEADER_BYTES, MESSAGES, type HealthStatus, type MessageTable, type RequestName } from '@ricochet/protocol';

const { PING, HEALTH } = MESSAGES.byName;

/** How the server answers one request type. */
export interface RequestHandler {
  /**
   * The reply is written over the request, so a request shorter than this is dropped (reply_exceeds_request)
   * before writeReply runs: set it to the longest reply writeReply writes, or less when the reply grows with the
   * request (a PONG is as long as its PING).
   */
  readonly minRequestBytes: number;
  /**
   * Overwrites the request with its reply, in place, and returns the reply's length. Runs per datagram. The request
   * is the first `length` bytes of `request`, which may hold more (a slot of batched I/O): a reply that echoes
   * the request's length, like PONG, returns `length`, not `request.length`.
   */
  readonly writeReply: (request: Buffer, length: number) => number;
}

/** What a handler may know of the server; read per datagram, so each is a cheap call. */
export interface HandlerContext {
  /** Reported in HEALTH_STATUS; at most 32 bytes. */
  readonly serverVersion: string;
  readonly healthStatus: () => HealthStatus;
  readonly uptimeSeconds: () => number;
}

/** Builds a handler once, at start-up: whatever can be computed before the first datagram is, here. */
export type HandlerFactory = (context: HandlerContext) => RequestHandler;

/** One handler per request type of table T: a missing one is a compile error. */
export type HandlerTable<T extends MessageTable> = { readonly [N in RequestName<T>]: HandlerFactory };

/** The handlers of wire format v1. */
export const HANDLERS: HandlerTable<typeof MESSAGES> = {
  PING: () => ({ minRequestBytes: HEADER_BYTES, writeReply: PING.reply.inPlace.writeOver }),
  HEALTH: ({ serverVersion, healthStatus, uptimeSeconds }) => {
    const healthStatusWriter = HEALTH.reply.inPlace.createWriter(serverVersion);
    return {
      minRequestBytes: healthStatusWriter.length,
      writeReply: (request) => healthStatusWriter.writeOver(request, healthStatus(), uptimeSeconds()),
    };
  },
};
