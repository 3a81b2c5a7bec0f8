import type { AddressInfo } from 'node:net';
import type { ServerConfig } from '@ricochet/config';
import type { StatsCounts } from '../server-stats';
import type { SocketIoPath } from '../socket-io/datagram-socket';
import type { RecvBufferInfo, TableCounts } from '../udp-service';

/** What a worker thread is started with (its workerData). */
export interface WorkerData {
  readonly kind: typeof WORKER_KIND;
  readonly index: number;
  /** The pod's config, with the port the first worker bound: with UDP_PORT=0 they still share one port. */
  readonly config: ServerConfig;
  /** The path the pool chose, never auto: the pool has already warned if it had to fall back. */
  readonly socketIo: SocketIoPath;
}

export const WORKER_KIND = 'ricochet-udp-worker';

export function isWorkerData(data: unknown): data is WorkerData {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === WORKER_KIND;
}

/** A worker's counters, as plain numbers the pool sums. */
export interface WorkerCounts {
  readonly stats: StatsCounts;
  readonly sources: TableCounts | undefined;
  readonly prefixes: TableCounts | undefined;
}

/** From the pool to a worker. */
export type ToWorker =
  | { readonly type: 'drain' }
  | { readonly type: 'close' }
  | { readonly type: 'counts'; readonly id: number };

/** From a worker to the pool. */
export type FromWorker =
  | { readonly type: 'listening'; readonly address: AddressInfo; readonly recvBuffer: RecvBufferInfo }
  /** The server's own error (UDP_ERR_SOCKET: the bind), passed on as it was. */
  | { readonly type: 'failed'; readonly code: string; readonly message: string }
  | { readonly type: 'counts'; readonly id: number; readonly counts: WorkerCounts }
  | { readonly type: 'stopped'; readonly counts: WorkerCounts };
