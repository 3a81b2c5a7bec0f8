import type { AddressInfo } from 'node:net';
import type { ServerConfig } from '@ricochet/config';
import type { Logger } from 'pino';
import { type Guard } from './guards';
import { type HookName, type HookSignatures } from './hooks';
import { LifecycleState } from './lifecycle';
import { ServerStats } from './server-stats';
export interface ServerOptions {
    readonly config: Readonly<ServerConfig>;
    readonly logger: Logger;
    /** Checks run on every decoded datagram before it is answered. Defaults to DEFAULT_GUARDS. */
    readonly guards?: readonly Guard[];
    /** Reported in HEALTH_STATUS; at most 32 bytes. */
    readonly version?: string;
}
export interface RecvBufferInfo {
    readonly requestedBytes: number;
    /** What the kernel reports after the request (Linux doubles the request, capped by net.core.rmem_max). */
    readonly grantedBytes: number;
}
export declare class UdpServer {
    #private;
    readonly stats: ServerStats;
    /** Settles once the server is stopped, however it got there. */
    readonly stopped: Promise<void>;
    constructor(options: ServerOptions);
    get state(): LifecycleState;
    get recvBuffer(): RecvBufferInfo | undefined;
    /** The bound address. Throws UDP_ERR_LIFECYCLE before listen() has succeeded. */
    address(): AddressInfo;
    addHook<N extends HookName>(name: N, hook: HookSignatures[N]): this;
    /** Binds the socket and starts serving. Rejects with UDP_ERR_SOCKET when the bind fails. */
    listen(): Promise<AddressInfo>;
    /**
     * Starts draining: HEALTH answers DRAINING at once, PING is still answered, and after the drain window the
     * socket closes. Returns the `stopped` promise. Calling it again while draining changes nothing.
     */
    drain(): Promise<void>;
    /** Closes the socket now, skipping any drain window left. Safe to call in any state, any number of times. */
    close(): Promise<void>;
}
export declare function createServer(options: ServerOptions): UdpServer;
//# sourceMappingURL=server.d.ts.map