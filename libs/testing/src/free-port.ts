import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, isIPv6 } from 'node:net';

export interface FreePortOptions {
  /** 'udp' (the default) or 'tcp'. */
  readonly protocol?: 'udp' | 'tcp';
  /** The address to find it on; 127.0.0.1 unless given. */
  readonly host?: string;
}

/**
 * A port with nothing bound to it a moment ago: bound to port 0, read, closed. For what must be told a port before
 * it binds (podman's --publish, Prometheus's --web.listen-address) and for "nothing listens there" tests; anything
 * that can bind port 0 itself should.
 */
export async function freePort({ protocol = 'udp', host = '127.0.0.1' }: FreePortOptions = {}): Promise<number> {
  if (protocol === 'tcp') {
    const server = createServer().listen(0, host);
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');
    return port;
  }
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  socket.bind(0, host);
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}
