import type { Logger } from 'pino';
import type { UdpServer } from './server';
export declare const SHUTDOWN_SIGNALS: readonly ["SIGTERM", "SIGINT"];
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];
export interface SignalTarget {
    on(event: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
    off(event: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
    exit(code: number): never;
}
/**
 * The first SIGTERM or SIGINT starts the drain; a second one exits at once with 128 + the signal number, the
 * shell's convention for "killed by a signal". Returns a function that removes the handlers.
 */
export declare function handleShutdownSignals(server: UdpServer, logger: Logger, target?: SignalTarget): () => void;
//# sourceMappingURL=shutdown-signals.d.ts.map