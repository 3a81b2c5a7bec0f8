import { deferCleanup } from '@ricochet/testing';
import { loadBatchedUdp, type BatchedUdpSocket, type BatchedUdpSocketOptions } from '../src';

/** The addon as the build wrote it; the test target builds it first. */
export function addon() {
  const loaded = loadBatchedUdp();
  if (!loaded.loaded) throw new Error(loaded.reason);
  return loaded;
}

export interface Delivery {
  readonly slot: number;
  readonly length: number;
  readonly port: number;
  readonly family: 4 | 6;
  readonly words: number[];
  readonly address: string;
  readonly bytes: Buffer;
}

export interface RecordingSocket {
  readonly socket: BatchedUdpSocket;
  readonly port: number;
  readonly deliveries: Delivery[];
  readonly errors: { code: string; syscall: string; count: number }[];
}

/**
 * A batched socket on `address` that records every datagram and answers each with `reply(bytes, length)`'s
 * result (0: no reply): by default an echo with the first byte set to 0xee. Closed after the test.
 */
export function recordingSocket(
  options: Partial<Pick<BatchedUdpSocketOptions, 'family' | 'batchSize' | 'slotBytes'>> & {
    address?: string;
    port?: number;
    reusePort?: boolean;
    reply?: (bytes: Buffer, length: number) => number;
  } = {},
): RecordingSocket {
  const { address = '127.0.0.1', port = 0, reusePort = false, reply = echo } = options;
  const deliveries: Delivery[] = [];
  const errors: RecordingSocket['errors'] = [];
  const words = new Uint32Array(4);
  const socket: BatchedUdpSocket = addon().createSocket({
    family: options.family ?? (address.includes(':') ? 6 : 4),
    slotBytes: options.slotBytes ?? 1500,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    onDatagram: (slot) => {
      const length = socket.lengthOf(slot);
      socket.writeAddressWords(slot, words);
      const bytes = socket.slots[slot] as Buffer;
      deliveries.push({
        slot,
        length,
        port: socket.portOf(slot),
        family: socket.familyOf(slot),
        words: [...words],
        address: socket.peerAddress(slot),
        bytes: Buffer.from(bytes.subarray(0, Math.min(length, bytes.length))),
      });
      return reply(bytes, Math.min(length, bytes.length));
    },
    onError: (code, syscall, count) => void errors.push({ code, syscall, count }),
  });
  deferCleanup(() => socket.close());
  const bound = socket.bind({ address, port, reusePort });
  socket.start();
  return { socket, port: bound.port, deliveries, errors };
}

export function echo(bytes: Buffer, length: number): number {
  bytes[0] = 0xee;
  return length;
}
