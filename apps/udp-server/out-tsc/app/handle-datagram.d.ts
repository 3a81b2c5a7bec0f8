import type { RemoteInfo } from 'node:dgram';
import { type Guard } from './guards';
import type { HandlerEntry } from './handlers';
import { ReplyKind, type ServerStats } from './server-stats';
export type SendReply = (reply: Buffer, length: number, remote: RemoteInfo, kind: ReplyKind) => void;
export type DatagramHandler = (request: Buffer, remote: RemoteInfo) => void;
export interface DatagramPipeline {
    readonly maxDatagramBytes: number;
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
export declare function createDatagramHandler(pipeline: DatagramPipeline): DatagramHandler;
//# sourceMappingURL=handle-datagram.d.ts.map