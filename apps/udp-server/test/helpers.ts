import { loadSettings, serverSettings, type ServerConfig } from '@ricochet/config';
import { deferCleanup } from '@ricochet/testing';
import { createLogger } from '../src/logger';
import { createServer, type ServerOptions, type UdpServer } from '../src/server';

export interface LogCapture {
  readonly lines: Record<string, unknown>[];
}

/** A server on 127.0.0.1, port 0, logging into memory; closed after the test (or file) that started it. */
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
  return { server, port, logs, config };
}
