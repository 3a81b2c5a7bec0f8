import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import {
  MessageType,
  PROTOCOL_VERSION,
  WireErrorCode,
  decode,
  encode,
  type HealthStatus,
  type Message,
} from '@ricochet/protocol';
import { deferCleanup } from '@ricochet/testing';

export type Responder = (request: Message, raw: Buffer) => Buffer[] | undefined;

/** Answers HEALTH with `status` and PING with PONG, the way the real server does. */
export const answerWith =
  (status: HealthStatus): Responder =>
  (request) => {
    if (request.type === MessageType.PING) return [encode({ ...request, type: MessageType.PONG })];
    if (request.type === MessageType.HEALTH) {
      return [
        encode({
          type: MessageType.HEALTH_STATUS,
          requestId: request.requestId,
          status,
          uptimeSeconds: 7,
          serverVersion: 'fake-1',
        }),
      ];
    }
    return undefined;
  };

export const answerUnsupportedVersion: Responder = (request) => [
  encode({
    type: MessageType.ERROR,
    requestId: request.requestId,
    errorCode: WireErrorCode.UNSUPPORTED_VERSION,
    supportedVersion: PROTOCOL_VERSION,
  }),
];

/**
 * A stand-in server on 127.0.0.1 for probe tests: the probe must not depend on the server app, and these tests
 * need answers the real server never gives (silence, garbage, stale ids). Closed after the test that started it.
 */
export class FakeServer {
  readonly requests: Message[] = [];
  #closed = false;

  private constructor(
    readonly socket: Socket,
    private readonly respond: Responder,
  ) {
    socket.on('message', (raw: Buffer, remote: RemoteInfo) => {
      const request = decode(raw);
      this.requests.push(request);
      for (const reply of this.respond(request, raw) ?? []) socket.send(reply, remote.port, remote.address);
    });
    deferCleanup(() => this.close());
  }

  static async start(respond: Responder): Promise<FakeServer> {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new FakeServer(socket, respond);
  }

  get port(): number {
    return this.socket.address().port;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.socket.close();
  }
}
