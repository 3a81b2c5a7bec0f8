import type { AddressInfo } from 'node:net';
import type { BatchedUdp, BatchedUdpSocket } from '@ricochet/batched-udp';
import type { DatagramSource } from '../datagram-source';
import { NO_REPLY, type DatagramHandler } from '../handle-datagram';
import type { AddressWords } from '../rate-limit/address-words';
import type { DatagramSocket, SocketEvents, SocketOptions } from './datagram-socket';

/** The sender of the datagram in one slot of the batch, read from the socket's meta records. */
class SlotSource implements DatagramSource {
  slot = 0;
  readonly #socket: BatchedUdpSocket;

  constructor(socket: BatchedUdpSocket) {
    this.#socket = socket;
  }

  get port(): number {
    return this.#socket.portOf(this.slot);
  }

  get address(): string {
    return this.#socket.peerAddress(this.slot);
  }

  writeAddressWords(out: AddressWords): boolean {
    this.#socket.writeAddressWords(this.slot, out);
    return true;
  }
}

/**
 * The batched-udp addon: up to 64 datagrams per recvmmsg into slots allocated once, each handled in place, the
 * replies sent with one sendmmsg per batch. A slot holds maxDatagramBytes: a longer datagram reports its whole
 * length, so the pipeline drops it as oversize before reading past the slot.
 */
export function createBatchedSocket(batched: BatchedUdp, options: SocketOptions, events: SocketEvents): DatagramSocket {
  let handle: DatagramHandler = () => NO_REPLY;
  const socket: BatchedUdpSocket = batched.createSocket({
    family: options.family,
    slotBytes: options.maxDatagramBytes,
    onDatagram: (slot) => {
      source.slot = slot;
      return handle(socket.slots[slot] as Buffer, socket.lengthOf(slot), source);
    },
    onError: (code, syscall, count) => {
      if (syscall === 'sendmmsg') events.onSendError(code, count);
      else events.onError(Object.assign(new Error(`${syscall} ${code}`), { code, syscall }));
    },
  });
  const source = new SlotSource(socket);

  return {
    path: 'batched',
    bind(host, port): Promise<AddressInfo> {
      try {
        return Promise.resolve(socket.bind({ address: host, port, reusePort: options.reusePort }));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
    setRecvBufferSize(bytes) {
      return socket.setRecvBufferSize(bytes);
    },
    start(handler) {
      handle = handler;
      socket.start();
    },
    close() {
      socket.close();
      return Promise.resolve();
    },
  };
}
