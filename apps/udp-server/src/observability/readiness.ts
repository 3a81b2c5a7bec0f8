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
import type { UdpService } from '../udp-service';

/** What /livez and /readyz answer: 200 or 503, and why. */
export interface HealthVerdict {
  readonly ready: boolean;
  readonly reason: string;
}

/** How long to wait for the server's answer to its own HEALTH request. */
const TIMEOUT_MS = 1000;
/** A successful round trip younger than this is reused, so an HTTP flood cannot become a UDP flood. */
const REUSE_MS = 1000;

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
export class Readiness {
  readonly #server: UdpService;
  readonly #workersAnswer: (() => Promise<HealthVerdict>) | undefined;
  #lastSuccess = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<HealthVerdict> | undefined;
  #nextId = 1;

  /**
   * `workersAnswer`, for a pool: whether every worker thread answers, since the round trip reaches only the one the
   * kernel hashes the self-check to.
   */
  constructor(server: UdpService, workersAnswer?: () => Promise<HealthVerdict>) {
    this.#server = server;
    this.#workersAnswer = workersAnswer;
  }

  assess(): Promise<HealthVerdict> {
    if (this.#server.state !== LifecycleState.SERVING) {
      return Promise.resolve({ ready: false, reason: `server is ${this.#server.state}` });
    }
    if (performance.now() - this.#lastSuccess < REUSE_MS) {
      return Promise.resolve({ ready: true, reason: 'UDP round trip ok (recent)' });
    }
    this.#inFlight ??= this.#check().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #check(): Promise<HealthVerdict> {
    if (this.#workersAnswer !== undefined) {
      const workers = await this.#workersAnswer();
      if (!workers.ready) return workers;
    }
    return this.#roundTrip();
  }

  async #roundTrip(): Promise<HealthVerdict> {
    const address = this.#server.address();
    const host = loopbackFor(address);
    const socket: Socket = createSocket(address.family === 'IPv6' ? 'udp6' : 'udp4');
    const requestId = this.#nextId++;
    try {
      const answer = await new Promise<HealthVerdict>((resolve) => {
        const timer = setTimeout(
          () =>
            resolve({
              ready: false,
              reason: `no UDP answer from ${host}:${address.port} within ${TIMEOUT_MS} ms`,
            }),
          TIMEOUT_MS,
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
