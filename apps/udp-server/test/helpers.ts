import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { loadSettings, serverSettings, type ServerConfig } from '@ricochet/config';
import { createLogger } from '../src/logger';
import { createServer, type ServerOptions, type UdpServer } from '../src/server';

export interface LogCapture {
  readonly lines: Record<string, unknown>[];
}

/** A server on 127.0.0.1, port 0, logging into memory. Close it in afterEach. */
export async function startServer(
  env: Record<string, string> = {},
  options: Partial<Omit<ServerOptions, 'config' | 'logger'>> = {},
): Promise<{ server: UdpServer; port: number; logs: LogCapture; config: ServerConfig }> {
  const config = loadSettings(serverSettings, { env: { UDP_HOST: '127.0.0.1', UDP_PORT: '0', ...env }, argv: [] });
  const logs: LogCapture = { lines: [] };
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const server = createServer({ config, logger, ...options });
  const { port } = await server.listen();
  return { server, port, logs, config };
}

/** A client socket on loopback that awaits replies with a deadline instead of sleeping. */
export class TestClient {
  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
  }

  static async open(port = 0): Promise<TestClient> {
    const socket = createSocket('udp4');
    socket.bind(port, '127.0.0.1');
    await once(socket, 'listening');
    return new TestClient(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(datagram: Buffer, port: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(datagram, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );
  }

  /** The next datagram this socket receives; rejects after `timeoutMs`. */
  async receive(timeoutMs = 2000): Promise<Buffer> {
    const [message] = (await once(this.socket, 'message', { signal: AbortSignal.timeout(timeoutMs) })) as [Buffer];
    return message;
  }

  async request(datagram: Buffer, port: number): Promise<Buffer> {
    const reply = this.receive();
    await this.send(datagram, port);
    return reply;
  }

  close(): void {
    this.socket.close();
  }
}

let nextBarrierId = 0x7000_0000;

/**
 * Sends `datagrams`, then a PING "barrier", and returns every datagram received up to and including the
 * barrier's PONG. The server handles and answers in arrival order on loopback, so any reply to `datagrams`
 * arrives before the barrier's: no sleeping needed to prove that something got no answer.
 */
export async function repliesBeforeBarrier(
  client: TestClient,
  port: number,
  datagrams: readonly Buffer[],
): Promise<Buffer[]> {
  const barrierId = nextBarrierId++;
  const barrier = Buffer.from([0x52, 0x43, 0x01, 0x01, 0, 0, 0, 0, 0x42]);
  barrier.writeUInt32BE(barrierId, 4);
  const received: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no barrier reply within 5 s; got ${received.length} datagrams`)),
      5000,
    );
    const onMessage = (message: Buffer): void => {
      received.push(message);
      if (message.length === barrier.length && message.readUInt32BE(4) === barrierId && message[3] === 0x81) {
        clearTimeout(timer);
        client.socket.off('message', onMessage);
        resolve();
      }
    };
    client.socket.on('message', onMessage);
  });
  for (const datagram of datagrams) await client.send(datagram, port);
  await client.send(barrier, port);
  await done;
  return received.slice(0, -1);
}
