import type { AddressInfo } from 'node:net';
import type { HookName, HookSignatures } from './hooks';
import type { LifecycleState } from './lifecycle';
import type { ServerStats } from './server-stats';
import type { SocketIoPath } from './socket-io/datagram-socket';

export interface RecvBufferInfo {
  readonly requestedBytes: number;
  /** What the kernel reports after the request (Linux doubles the request, capped by net.core.rmem_max). */
  readonly grantedBytes: number;
}

/** What the metrics read of a rate limiter's table. */
export interface TableCounts {
  readonly size: number;
  readonly evictions: number;
}

/**
 * The UDP service of a pod as everything around it sees it (the metrics and health port, readiness, the drop
 * logs, the shutdown signals): one server (UdpServer, WORKERS=1), or a pool of servers in worker threads sharing
 * the port (WorkerPool), which answers for them together.
 */
export interface UdpService {
  /** Every datagram counted, over every worker; see refreshStats. */
  readonly stats: ServerStats;
  /** The reply limits' tables (summed over workers); undefined when the config turns both off. */
  readonly rateLimits:
    | { readonly sources: TableCounts | undefined; readonly prefixes: TableCounts | undefined }
    | undefined;
  readonly state: LifecycleState;
  /** Settles once the service is stopped, however it got there. */
  readonly stopped: Promise<void>;
  readonly socketIo: SocketIoPath;
  readonly recvBuffer: RecvBufferInfo | undefined;
  /** Sockets serving the port: WORKERS. */
  readonly workers: number;
  /** Why the service stopped on its own, if it did (a worker thread died): the process then exits 1. */
  readonly failure: Error | undefined;
  address(): AddressInfo;
  /** Datagrams the kernel dropped for the port's sockets (their receive buffers were full), from /proc/net/udp. */
  socketDrops(): Promise<number | undefined>;
  addHook<N extends HookName>(name: N, hook: HookSignatures[N]): this;
  listen(): Promise<AddressInfo>;
  drain(): Promise<void>;
  close(): Promise<void>;
  /** Brings `stats` and `rateLimits` up to date: a pool asks its workers; one server's are always current. */
  refreshStats(): Promise<void>;
}
