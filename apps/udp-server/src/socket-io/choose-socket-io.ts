import type { SocketIoChoice } from '@ricochet/config';
import { loadBatchedUdp, type BatchedUdp, type BatchedUdpUnavailable } from '@ricochet/batched-udp';
import { createError } from '@ricochet/errors';
import { createBatchedSocket } from './batched-socket';
import type { DatagramSocketFactory, SocketIoPath } from './datagram-socket';
import { createDgramSocket } from './dgram-socket';

export interface SocketIo {
  readonly path: SocketIoPath;
  readonly create: DatagramSocketFactory;
  /** Why `auto` fell back to dgram; undefined when it did not. */
  readonly fallbackReason: string | undefined;
}

/**
 * The SOCKET_IO decision, made once at start-up: `dgram` never loads the addon; `batched` loads it or throws
 * UDP_ERR_SOCKET_IO_UNAVAILABLE; `auto` loads it and falls back to dgram, with the reason, when it cannot.
 */
export function chooseSocketIo(
  choice: SocketIoChoice,
  load: () => BatchedUdp | BatchedUdpUnavailable = loadBatchedUdp,
): SocketIo {
  const dgram: SocketIo = { path: 'dgram', create: createDgramSocket, fallbackReason: undefined };
  if (choice === 'dgram') return dgram;
  const batched = load();
  if (batched.loaded) {
    return {
      path: 'batched',
      create: (options, events) => createBatchedSocket(batched, options, events),
      fallbackReason: undefined,
    };
  }
  if (choice === 'batched') throw createError('UDP_ERR_SOCKET_IO_UNAVAILABLE', batched.reason);
  return { ...dgram, fallbackReason: batched.reason };
}
