import { loadSettings, serverSettings, type ServerConfig } from '@ricochet/config';
import { deferCleanup } from '@ricochet/testing';
import { createLogger } from '../src/logger';
import { createServer, type ServerOptions, type UdpServer } from '../src/server';
import { SOCKET_IO_PATHS } from '../src/socket-io/datagram-socket';

/** Both ways of moving datagrams: the server's tests run once over each (`describe.each(SOCKET_IO_PATHS)`). */
export { SOCKET_IO_PATHS };

export interface LogCapture {
  readonly lines: Record<string, unknown>[];
}

/**
 * A server on 127.0.0.1, port 0, logging into memory; closed after the test (or file) that started it. With
 * SOCKET_IO in `env`, the server is checked to run that path (`batched` would refuse to start without the addon).
 */
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
  deferCleanup(() => server.close());
  const { port } = await server.listen();
  if (env['SOCKET_IO'] !== undefined && server.socketIo !== env['SOCKET_IO']) {
    throw new Error(`asked for SOCKET_IO=${env['SOCKET_IO']}, the server runs ${server.socketIo}`);
  }
  return { server, port, logs, config };
}
