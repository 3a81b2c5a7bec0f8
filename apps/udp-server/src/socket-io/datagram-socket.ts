import type { AddressInfo } from 'node:net';
import type { DatagramHandler } from '../handle-datagram';

/** How a socket moves datagrams: Node's dgram (one system call each) or the batched-udp addon (recvmmsg/sendmmsg). */
export type SocketIoPath = 'dgram' | 'batched';

export const SOCKET_IO_PATHS: readonly SocketIoPath[] = ['dgram', 'batched'];

export interface SocketOptions {
  readonly family: 4 | 6;
  /** SO_REUSEPORT, so that the workers of one pod can each bind the port (WORKERS). */
  readonly reusePort: boolean;
  /** The longest datagram the server answers: the batched path keeps this much of each. */
  readonly maxDatagramBytes: number;
}

/** What a socket reports once bound; neither is allowed to throw. */
export interface SocketEvents {
  /** `count` replies the socket failed to send, by error code (EACCES, ENOBUFS, …). */
  readonly onSendError: (code: string, count: number) => void;
  /** Any other failure after binding (dgram's 'error' event, a failed recvmmsg). */
  readonly onError: (err: Error) => void;
}

/** The server's UDP socket, whichever path moves its datagrams. */
export interface DatagramSocket {
  readonly path: SocketIoPath;
  /** Rejects with the system's error (`code` EADDRINUSE, EACCES, …) when the bind fails. */
  bind(host: string, port: number): Promise<AddressInfo>;
  /** Asks for SO_RCVBUF; returns what the kernel granted. */
  setRecvBufferSize(bytes: number): number;
  /**
   * Starts reading: every datagram goes to `handle`, in arrival order, and the reply it returns (a length over the
   * request's bytes, or NO_REPLY) is sent back to the datagram's source.
   */
  start(handle: DatagramHandler): void;
  close(): Promise<void>;
}

export type DatagramSocketFactory = (options: SocketOptions, events: SocketEvents) => DatagramSocket;
