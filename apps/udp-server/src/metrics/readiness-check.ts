import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import {
  HealthStatus,
  MessageType,
  PADDED_HEALTH_REQUEST_BYTES,
  decode,
  encode,
  paddedHealthRequest,
} from '@ricochet/protocol';
import { LifecycleState } from '../lifecycle';
import type { UdpServer } from '../server';

export interface Readiness {
  readonly ready: boolean;
  readonly reason: string;
}

export interface ReadinessOptions {
  /** How long to wait for the server's answer to its own HEALTH request. */
  readonly timeoutMs?: number;
  /** A successful round trip younger than this is reused, so an HTTP flood cannot become a UDP flood. */
  readonly reuseMs?: number;
}

/** Where to reach a socket bound to `address` from this host. */
function loopbackFor(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '::1';
  return address.address;
}

/**
 * Readiness for /readyz: the server is serving, and a HEALTH request sent to its own socket came back SERVING
 * recently. Proves the socket and the event loop work, not only the HTTP port. Self-checks count as HEALTH
 * traffic in the metrics, like any probe.
 */
export class ReadinessCheck {
  readonly #server: UdpServer;
  readonly #timeoutMs: number;
  readonly #reuseMs: number;
  #lastSuccess = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<Readiness> | undefined;
  #nextId = 1;

  constructor(server: UdpServer, options: ReadinessOptions = {}) {
    this.#server = server;
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#reuseMs = options.reuseMs ?? 1000;
  }

  check(): Promise<Readiness> {
    if (this.#server.state !== LifecycleState.SERVING) {
      return Promise.resolve({ ready: false, reason: `server is ${this.#server.state}` });
    }
    if (performance.now() - this.#lastSuccess < this.#reuseMs) {
      return Promise.resolve({ ready: true, reason: 'UDP round trip ok (recent)' });
    }
    this.#inFlight ??= this.#roundTrip().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #roundTrip(): Promise<Readiness> {
    const address = this.#server.address();
    const host = loopbackFor(address);
    const socket: Socket = createSocket(address.family === 'IPv6' ? 'udp6' : 'udp4');
    const requestId = this.#nextId++;
    try {
      const answer = await new Promise<Readiness>((resolve) => {
        const timer = setTimeout(
          () =>
            resolve({
              ready: false,
              reason: `no UDP answer from ${host}:${address.port} within ${this.#timeoutMs} ms`,
            }),
          this.#timeoutMs,
        );
        socket.on('error', (err) => {
          clearTimeout(timer);
          resolve({ ready: false, reason: `UDP self-check failed: ${err.message}` });
        });
        socket.on('message', (datagram: Buffer) => {
          let reply;
          try {
            reply = decode(datagram);
          } catch {
            return;
          }
          if (reply.type !== MessageType.HEALTH_STATUS || reply.requestId !== requestId) return;
          clearTimeout(timer);
          resolve(
            reply.status === HealthStatus.SERVING
              ? { ready: true, reason: 'UDP round trip ok' }
              : { ready: false, reason: `server answered status ${reply.status}` },
          );
        });
        socket.send(encode(paddedHealthRequest(requestId)), 0, PADDED_HEALTH_REQUEST_BYTES, address.port, host);
      });
      if (answer.ready) this.#lastSuccess = performance.now();
      return answer;
    } finally {
      socket.close();
    }
  }
}
