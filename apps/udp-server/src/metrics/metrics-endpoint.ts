import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness-check';

export interface MetricsEndpointOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly readiness: () => Promise<Readiness>;
  readonly liveness: () => Readiness;
}

export interface MetricsEndpoint {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/**
 * The HTTP side port: GET /metrics (Prometheus text format), /livez and /readyz (200 or 503 with a one-line
 * reason). Separate from the UDP port so scraping and probing never compete with traffic.
 */
export async function startMetricsEndpoint(options: MetricsEndpointOptions): Promise<MetricsEndpoint> {
  const server: Server = createServer((request, response) => {
    void route(options, request, response).catch((err: unknown) => {
      reply(response, 500, 'text/plain', `internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  // Scrapes and probes are short; do not let idle connections pin the process at shutdown.
  server.keepAliveTimeout = 5_000;
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(
  options: MetricsEndpointOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    reply(response, 405, 'text/plain', 'method not allowed: use GET\n');
    return;
  }
  const path = (request.url ?? '/').split('?')[0];
  switch (path) {
    case '/metrics':
      reply(response, 200, options.registry.contentType, await options.registry.metrics());
      return;
    case '/livez':
      sendProbe(response, options.liveness());
      return;
    case '/readyz':
      sendProbe(response, await options.readiness());
      return;
    default:
      reply(response, 404, 'text/plain', 'not found: try /metrics, /livez or /readyz\n');
  }
}

function sendProbe(response: ServerResponse, result: Readiness): void {
  reply(response, result.ready ? 200 : 503, 'text/plain', `${result.ready ? 'ok' : 'not ok'}: ${result.reason}\n`);
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  response.end(body);
}
