/** Kinds of datagram counted on arrival: the two request types, and everything else. */
export declare const ReceivedKind: {
    readonly PING: 0;
    readonly HEALTH: 1;
    readonly OTHER: 2;
};
export type ReceivedKind = (typeof ReceivedKind)[keyof typeof ReceivedKind];
export declare const RECEIVED_KIND_NAMES: readonly string[];
export declare const ReplyKind: {
    readonly PONG: 0;
    readonly HEALTH_STATUS: 1;
    readonly ERROR: 2;
};
export type ReplyKind = (typeof ReplyKind)[keyof typeof ReplyKind];
export declare const REPLY_KIND_NAMES: readonly string[];
/**
 * Plain counters, bumped on the per-datagram path and read by whoever reports them (logs, metrics).
 * Typed arrays indexed by small integers: no Map lookups and no allocation per datagram.
 */
export declare class ServerStats {
    readonly received: Float64Array<ArrayBuffer>;
    readonly replies: Float64Array<ArrayBuffer>;
    readonly dropped: Float64Array<ArrayBuffer>;
    /** Failed sends by error code (EAGAIN, ENOBUFS, …). Rare, so a Map is fine. */
    readonly sendErrors: Map<string, number>;
    countSendError(code: string): void;
    /** A plain-object copy, for logs and tests. */
    snapshot(): StatsSnapshot;
}
export interface StatsSnapshot {
    readonly received: Record<string, number>;
    readonly replies: Record<string, number>;
    readonly dropped: Record<string, number>;
    readonly sendErrors: Record<string, number>;
}
//# sourceMappingURL=server-stats.d.ts.map