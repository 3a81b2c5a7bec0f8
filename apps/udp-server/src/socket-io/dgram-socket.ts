import { createSocket, type RemoteInfo } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { DatagramSource } from '../datagram-source';
import { NO_REPLY, type DatagramHandler } from '../handle-datagram';
import { literalAddressLookup } from '../literal-lookup';
import { writeAddressWords, type AddressWords } from '../rate-limit/address-words';
import type { DatagramSocket, SocketEvents, SocketOptions } from './datagram-socket';

/** The sender of the datagram being handled, as Node reported it. */
class RemoteInfoSource implements DatagramSource {
  remote: RemoteInfo = { address: '', family: 'IPv4', port: 0, size: 0 };

  get port(): number {
    return this.remote.port;
  }

  get address(): string {
    return this.remote.address;
  }

  writeAddressWords(out: AddressWords): boolean {
    return writeAddressWords(this.remote.address, out);
  }
}

/** Node's dgram: one recvmsg, one Buffer and one 'message' event per datagram, one sendmsg per reply. */
export function createDgramSocket(options: SocketOptions, events: SocketEvents): DatagramSocket {
  const socket = createSocket({
    type: options.family === 6 ? 'udp6' : 'udp4',
    lookup: literalAddressLookup,
    reusePort: options.reusePort,
  });
  let rejectBind: ((err: Error) => void) | undefined;
  socket.on('error', (err) => (rejectBind === undefined ? events.onError(err) : rejectBind(err)));

  const onSent = (err: Error | null): void => {
    if (err !== null) events.onSendError((err as NodeJS.ErrnoException).code ?? 'UNKNOWN', 1);
  };
  const send = (reply: Buffer, length: number, remote: RemoteInfo): void => {
    try {
      // The whole buffer (every PONG) needs no offset and length: dgram would wrap it in another Buffer.
      if (length === reply.length) socket.send(reply, remote.port, remote.address, onSent);
      else socket.send(reply, 0, length, remote.port, remote.address, onSent);
    } catch (err) {
      // dgram throws synchronously for some failures (a closed socket, a bad port) and calls back for the rest.
      onSent(err as Error);
    }
  };

  return {
    path: 'dgram',
    async bind(host, port): Promise<AddressInfo> {
      try {
        await new Promise<void>((resolve, reject) => {
          rejectBind = reject;
          socket.bind({ address: host, port, exclusive: true }, resolve);
        });
      } finally {
        rejectBind = undefined;
      }
      return socket.address();
    },
    setRecvBufferSize(bytes) {
      socket.setRecvBufferSize(bytes);
      return socket.getRecvBufferSize();
    },
    start(handle: DatagramHandler) {
      const source = new RemoteInfoSource();
      // Bound once: the per-datagram path allocates no closure.
      socket.on('message', (request: Buffer, remote: RemoteInfo) => {
        source.remote = remote;
        const length = handle(request, request.length, source);
        if (length !== NO_REPLY) send(request, length, remote);
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        try {
          socket.close(resolve);
        } catch {
          resolve(); // never bound, or closed already
        }
      });
    },
  };
}
