import type { RemoteInfo } from 'node:dgram';
import { DropReason } from './drop-reasons';
import { ACCEPT, type Guard } from './guards';
import type { Route } from './routes';
import type { ServerStats } from './server-stats';

export type SendReply = (reply: Buffer, length: number, remote: RemoteInfo, replyKind: number) => void;
export type DatagramHandler = (request: Buffer, remote: RemoteInfo) => void;

export interface DatagramPipeline {
  readonly maxDatagramBytes: number;
  /** Picks the datagram's route from its header (routes.ts); everything after reads only that route. */
  readonly route: (datagram: Buffer) => Route;
  readonly guards: readonly Guard[];
  readonly stats: ServerStats;
  readonly send: SendReply;
}

/**
 * The per-datagram path: route → guards → reply → send. Each datagram ends in exactly one of: one reply of at
 * most its own length, or one drop counted under one reason. The request buffer is Node's own copy of the
 * datagram, so the reply is written over it and nothing is allocated.
 */
export function createDatagramHandler(pipeline: DatagramPipeline): DatagramHandler {
  const { maxDatagramBytes, route: routeOf, guards, stats, send } = pipeline;
  const guardCount = guards.length;

  return function handleDatagram(request, remote) {
    // 1. Route: what is this datagram, and is it one we may answer?
    const route = routeOf(request);
    stats.received[route.receivedKind]++;
    if (request.length > maxDatagramBytes) {
      stats.dropped[DropReason.OVERSIZE]++;
      return;
    }
    if (route.verdict !== ACCEPT) {
      stats.dropped[route.verdict]++;
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

    // 3. Reply: written over the request, so it must fit in it; and, checked here for every route, the rule that
    // makes Ricochet useless for amplification: a reply is never longer than its request.
    if (request.length < route.minRequestBytes) {
      stats.dropped[route.shortRequestDrop]++;
      return;
    }
    const length = route.writeReply(request);
    if (length > request.length) {
      stats.dropped[DropReason.REPLY_EXCEEDS_REQUEST]++;
      return;
    }

    // 4. Send.
    send(request, length, remote, route.replyKind);
  };
}
