import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { createError } from '@ricochet/errors';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness-check';

export interface MetricsEndpointOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly readiness: () => Promise<Readiness>;
  readonly liveness: () => Readiness;
  /** A rendered exposition is served again to scrapes within this long (default 500 ms); 0 renders every time. */
  readonly renderIntervalMs?: number;
}

export interface MetricsEndpoint {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/**
 * Bounds on the HTTP side port, so that no number of scrapers or slow clients can take CPU or memory from the
 * UDP path. Measured before them: 1000 concurrent scrapes stalled UDP for ~1.8 s, three rounds of 2000 left a third
 * of PINGs answered and RSS at 396 MB, and 1000 slowloris connections were all held open.
 */
export const HTTP_LIMITS = {
  /** Connections beyond this are closed on arrival. Prometheus needs one per scrape; probes one each. */
  maxConnections: 64,
  /**
   * A connection must have sent a whole request's headers within this of connecting (or of its previous response,
   * plus keepAliveTimeoutMs). Enforced by our own timer: Node's headersTimeout did not close a connection that sent
   * half a request line and stopped (seen on Node 24: 64 such connections still open after 9 s).
   */
  headersTimeoutMs: 2_000,
  requestTimeoutMs: 5_000,
  /** How often Node checks its own request deadline. */
  checkIntervalMs: 500,
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
} as const;

const DEFAULT_RENDER_INTERVAL_MS = 500;

/**
 * Renders the exposition at most once per interval and shares one render between concurrent scrapes: a burst of
 * scrapes costs one render, not one each.
 */
export function sharedRender(registry: Pick<Registry, 'metrics'>, intervalMs: number): () => Promise<string> {
  let inFlight: Promise<string> | undefined;
  let last: { text: string; at: number } | undefined;
  return () => {
    if (last !== undefined && performance.now() - last.at < intervalMs) return Promise.resolve(last.text);
    inFlight ??= registry.metrics().then(
      (text) => {
        last = { text, at: performance.now() };
        inFlight = undefined;
        return text;
      },
      (err: unknown) => {
        inFlight = undefined;
        throw err;
      },
    );
    return inFlight;
  };
}

/**
 * The HTTP side port: GET /metrics (Prometheus text format), /livez and /readyz (200 or 503 with a one-line
 * reason). Separate from the UDP port so scraping and probing never compete with traffic.
 */
export async function startMetricsEndpoint(options: MetricsEndpointOptions): Promise<MetricsEndpoint> {
  const render = sharedRender(options.registry, options.renderIntervalMs ?? DEFAULT_RENDER_INTERVAL_MS);
  const server: Server = createServer(
    {
      headersTimeout: HTTP_LIMITS.headersTimeoutMs,
      requestTimeout: HTTP_LIMITS.requestTimeoutMs,
      connectionsCheckingInterval: HTTP_LIMITS.checkIntervalMs,
      keepAliveTimeout: HTTP_LIMITS.keepAliveTimeoutMs,
    },
    (request, response) => {
      void route(options, render, request, response).catch((err: unknown) => {
        reply(response, 500, 'text/plain', `internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      });
    },
  );
  server.maxConnections = HTTP_LIMITS.maxConnections;
  enforceHeaderDeadline(server);
  server.listen(options.port, options.host);
  await once(server, 'listening').catch((err: unknown) => {
    throw createError(
      'UDP_ERR_SOCKET',
      'listen (metrics and health HTTP, METRICS_PORT)',
      `${options.host}:${options.port}`,
      (err as Error).message,
    );
  });
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Closes a connection that has not sent a complete request's headers in time (slowloris). */
function enforceHeaderDeadline(server: Server): void {
  const deadlines = new WeakMap<Socket, NodeJS.Timeout>();
  const arm = (socket: Socket, ms: number): void => {
    clearTimeout(deadlines.get(socket));
    deadlines.set(
      socket,
      setTimeout(() => socket.destroy(), ms),
    );
  };
  server.on('connection', (socket: Socket) => {
    arm(socket, HTTP_LIMITS.headersTimeoutMs);
    socket.once('close', () => clearTimeout(deadlines.get(socket)));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    clearTimeout(deadlines.get(socket));
    // The next request on a kept-alive connection gets the same deadline, after the keep-alive wait.
    response.once('finish', () => arm(socket, HTTP_LIMITS.keepAliveTimeoutMs + HTTP_LIMITS.headersTimeoutMs));
  });
}

async function route(
  options: MetricsEndpointOptions,
  render: () => Promise<string>,
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
      reply(response, 200, options.registry.contentType, await render());
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
