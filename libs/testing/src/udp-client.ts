import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { isIPv6 } from 'node:net';
import { deferCleanup } from './cleanup';

export interface UdpClientOptions {
  /** The address to bind; 127.0.0.1 unless given (an IPv6 address makes a udp6 socket). */
  readonly host?: string;
  /** The port to bind; 0 (any free one) unless given. */
  readonly port?: number;
  /** SO_RCVBUF, for a client that must not lose replies while it is busy sending. */
  readonly recvBufferSize?: number;
}

export interface RequestOptions {
  /** How long to wait for the reply to each attempt; 2000 ms unless given. */
  readonly timeoutMs?: number;
  /** How many times to send before giving up (UDP may lose a datagram); 1 unless given. */
  readonly attempts?: number;
  /** Where to send; the loopback address of the client's family unless given. */
  readonly host?: string;
}

/**
 * A UDP socket on loopback for tests: sends, and awaits what comes back with a deadline instead of sleeping.
 * Closed after the test that opened it (or after the file, when opened outside a test).
 */
export class UdpClient {
  readonly socket: Socket;
  readonly #loopback: string;
  #closed = false;
  readonly #forget: () => void;

  private constructor(socket: Socket, loopback: string) {
    this.socket = socket;
    this.#loopback = loopback;
    this.#forget = deferCleanup(() => this.close());
  }

  static async open({ host = '127.0.0.1', port = 0, recvBufferSize }: UdpClientOptions = {}): Promise<UdpClient> {
    const ipv6 = isIPv6(host);
    const socket = createSocket({ type: ipv6 ? 'udp6' : 'udp4', ...(recvBufferSize ? { recvBufferSize } : {}) });
    socket.bind(port, host);
    await once(socket, 'listening');
    return new UdpClient(socket, ipv6 ? '::1' : '127.0.0.1');
  }

  /** The port this client's socket is bound to. */
  get port(): number {
    return this.socket.address().port;
  }

  send(datagram: Buffer, port: number, host = this.#loopback): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(datagram, port, host, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** The next datagram this socket receives; rejects after `timeoutMs`. */
  async receive(timeoutMs = 2000): Promise<Buffer> {
    try {
      const [datagram] = (await once(this.socket, 'message', { signal: AbortSignal.timeout(timeoutMs) })) as [Buffer];
      return datagram;
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
      throw new Error(`nothing arrived at ${this.#loopback}:${this.port} within ${timeoutMs} ms`, { cause: err });
    }
  }

  /** Sends `datagram` and resolves with the next datagram received, sending again on each timeout up to `attempts`. */
  async request(datagram: Buffer, port: number, options: RequestOptions = {}): Promise<Buffer> {
    const { timeoutMs = 2000, attempts = 1, host = this.#loopback } = options;
    for (let attempt = 1; ; attempt++) {
      const reply = this.receive(timeoutMs);
      // Awaited with the send, so that a failed send does not leave the receive to reject unobserved.
      const [sent, received] = await Promise.allSettled([this.send(datagram, port, host), reply]);
      if (sent.status === 'rejected') throw sent.reason;
      if (received.status === 'fulfilled') return received.value;
      if (attempt >= attempts) {
        throw new Error(`no reply from ${host}:${port} to ${attempts} attempt(s) of ${timeoutMs} ms`, {
          cause: received.reason,
        });
      }
    }
  }

  /** Closes the socket; closing again does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#forget();
    this.socket.close();
  }
}
