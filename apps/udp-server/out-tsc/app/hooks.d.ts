import type { AddressInfo } from 'node:net';
/** Called in order; an async hook is awaited before the next. */
export interface HookSignatures {
    /** The socket is bound and the server is serving. */
    onListen: (address: AddressInfo) => void | Promise<void>;
    /** The drain window is over; the socket is about to close. */
    preClose: () => void | Promise<void>;
    /** The socket is closed; the server is stopped. */
    onClose: () => void | Promise<void>;
}
export type HookName = keyof HookSignatures;
export declare const HOOK_NAMES: readonly HookName[];
export declare class Hooks {
    #private;
    add<N extends HookName>(name: N, hook: HookSignatures[N]): void;
    run<N extends HookName>(name: N, ...args: Parameters<HookSignatures[N]>): Promise<void>;
}
//# sourceMappingURL=hooks.d.ts.map