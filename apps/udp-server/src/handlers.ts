import { MessageType, writePongOver, type HealthStatus, type HealthStatusWriter } from '@ricochet/protocol';
import { ReceivedKind, ReplyKind } from './server-stats';

/** Overwrites a request with its reply and returns the reply's length, or 0 when the reply would not fit. */
export type RequestHandler = (request: Buffer) => number;

export interface HandlerEntry {
  readonly receivedKind: ReceivedKind;
  readonly replyKind: ReplyKind;
  readonly handle: RequestHandler;
}

export interface HandlerContext {
  readonly health: HealthStatusWriter;
  readonly healthStatus: () => HealthStatus;
  readonly uptimeSeconds: () => number;
}

/** One entry per request type, indexed by the type byte: the per-datagram lookup is an array read. */
export function createHandlerTable(context: HandlerContext): readonly (HandlerEntry | undefined)[] {
  const table: (HandlerEntry | undefined)[] = new Array<HandlerEntry | undefined>(256).fill(undefined);
  table[MessageType.PING] = { receivedKind: ReceivedKind.PING, replyKind: ReplyKind.PONG, handle: writePongOver };
  table[MessageType.HEALTH] = {
    receivedKind: ReceivedKind.HEALTH,
    replyKind: ReplyKind.HEALTH_STATUS,
    handle: (request) =>
      request.length < context.health.length
        ? 0
        : context.health.writeOver(request, context.healthStatus(), context.uptimeSeconds()),
  };
  return table;
}
