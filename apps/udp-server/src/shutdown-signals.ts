import { constants } from 'node:os';
import type { Logger } from 'pino';
import { LifecycleState } from './lifecycle';
import type { UdpService } from './udp-service';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
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
export function handleShutdownSignals(server: UdpService, logger: Logger, target: SignalTarget = process): () => void {
  let first: ShutdownSignal | undefined;
  const onSignal = (signal: ShutdownSignal): void => {
    if (first === undefined) {
      first = signal;
      logger.info({ signal }, 'shutdown signal received: draining');
      // A signal while the socket binds drains as soon as it serves.
      if (server.state === LifecycleState.STARTING) server.addHook('onListen', () => void server.drain());
      else void server.drain();
      return;
    }
    logger.warn({ signal, first }, 'second shutdown signal: exiting now');
    logger.flush();
    target.exit(128 + constants.signals[signal]);
  };
  for (const signal of SHUTDOWN_SIGNALS) target.on(signal, onSignal);
  return () => {
    for (const signal of SHUTDOWN_SIGNALS) target.off(signal, onSignal);
  };
}
