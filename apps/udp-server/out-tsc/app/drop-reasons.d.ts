export declare const DropReason: {
    readonly TOO_SHORT: 0;
    readonly OVERSIZE: 1;
    readonly BAD_MAGIC: 2;
    readonly UNSUPPORTED_VERSION: 3;
    readonly REPLY_TYPE: 4;
    readonly UNKNOWN_TYPE: 5;
    readonly PRIVILEGED_SOURCE_PORT: 6;
    readonly REPLY_EXCEEDS_REQUEST: 7;
    readonly INTERNAL_ERROR: 8;
};
export type DropReason = (typeof DropReason)[keyof typeof DropReason];
export declare const DROP_REASON_NAMES: readonly string[];
//# sourceMappingURL=drop-reasons.d.ts.map