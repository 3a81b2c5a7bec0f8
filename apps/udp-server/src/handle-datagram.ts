import type { DatagramSource } from './datagram-source';
import { DropReason } from './drop-reasons';
import { ACCEPT, type Guard } from './guards';
import type { Route } from './routes';
import type { ServerStats } from './server-stats';

/** What the pipeline returns for a datagram that gets no answer (a reply is never empty: it has a header). */
export const NO_REPLY = 0;

/**
 * Handles one datagram: the first `length` bytes of `request`, from `source`. Returns the length of the reply
 * written over it, for the socket to send back to the source, or NO_REPLY.
 */
export type DatagramHandler = (request: Buffer, length: number, source: DatagramSource) => number;

export interface DatagramPipeline {
  readonly maxDatagramBytes: number;
  /** Picks the datagram's route from its header (routes.ts); everything after reads only that route. */
  readonly route: (datagram: Buffer, length: number) => Route;
  readonly guards: readonly Guard[];
  readonly stats: ServerStats;
}

/**
 * The per-datagram path: route → guards → reply. Each datagram ends in exactly one of: one reply of at most its own
 * length, or one drop counted under one reason. The request's bytes are the socket's own (Node's copy of the
 * datagram, or its slot of batched I/O), so the reply is written over them and nothing is allocated; the socket
 * sends it.
 */
export function createDatagramHandler(pipeline: DatagramPipeline): DatagramHandler {
  const { maxDatagramBytes, route: routeOf, guards, stats } = pipeline;
  const guardCount = guards.length;

  return function handleDatagram(request, length, source) {
    // 1. Route: what is this datagram, and is it one we may answer?
    const route = routeOf(request, length);
    stats.received[route.receivedKind]++;
    if (length > maxDatagramBytes) {
      stats.dropped[DropReason.OVERSIZE]++;
      return NO_REPLY;
    }
    if (route.verdict !== ACCEPT) {
      stats.dropped[route.verdict]++;
      return NO_REPLY;
    }

    // 2. Guards: policy on who gets an answer.
    for (let i = 0; i < guardCount; i++) {
      const verdict = (guards[i] as Guard)(request, length, source);
      if (verdict !== ACCEPT) {
        stats.dropped[verdict]++;
        return NO_REPLY;
      }
    }

    // 3. Reply: written over the request, so it must fit in it; and, checked here for every route, the rule that
    // makes Ricochet useless for amplification: a reply is never longer than its request.
    if (length < route.minRequestBytes) {
      stats.dropped[route.shortRequestDrop]++;
      return NO_REPLY;
    }
    const replyLength = route.writeReply(request, length);
    if (replyLength > length) {
      stats.dropped[DropReason.REPLY_EXCEEDS_REQUEST]++;
      return NO_REPLY;
    }

    // 4. Handed to the socket, which sends it.
    stats.replies[route.replyKind]++;
    return replyLength;
  };
}
