import { type HealthStatus, type HealthStatusWriter } from '@ricochet/protocol';
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
export declare function createHandlerTable(context: HandlerContext): readonly (HandlerEntry | undefined)[];
//# sourceMappingURL=handlers.d.ts.map