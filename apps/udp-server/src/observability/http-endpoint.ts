import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { createError } from '@ricochet/errors';
import type { Registry } from 'prom-client';
import {
  CONTENT_TYPES,
  EXPOSITION_FORMATS,
  negotiateExpositionFormat,
  type ExpositionFormat,
} from './exposition-format';
import type { HealthVerdict } from './readiness';
import { renderExposition } from './render-exposition';

export interface HttpEndpointOptions {
  readonly host: string;
  readonly port: number;
  /** Served as text format 0.0.4, or as OpenMetrics 1.0.0 to scrapers whose `Accept` asks for it. */
  readonly registry: Registry;
  readonly readiness: () => Promise<HealthVerdict>;
  readonly liveness: () => HealthVerdict;
  /** A rendered exposition is served again to scrapes within this long (default 500 ms); 0 renders every time. */
  readonly renderIntervalMs?: number;
  /** Runs before each render: a pool of workers gathers their counters here. */
  readonly beforeRender?: () => Promise<void>;
}

export interface HttpEndpoint {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/**
 * Bounds on the HTTP side port, so that no number of scrapers or slow clients can take CPU or memory from the
 * UDP path. Measured before them: 1000 concurrent scrapes stalled UDP for ~1.8 s, three rounds of 2000 left a third
 * of PINGs answered and RSS at 396 MB, and 1000 slowloris connections were all held open.
 */
export const HTTP_LIMITS = {
  /**
   * Open connections at most; a newcomer beyond it replaces the oldest connection that has no request in progress.
   * Prometheus needs one per scrape; probes one each.
   */
  maxConnections: 64,
  /**
   * A connection must have sent a whole request's headers within this of connecting (or of its previous response,
   * plus keepAliveTimeoutMs). Enforced by our own timer: Node's headersTimeout did not close a connection that sent
   * half a request line and stopped (seen on Node 24: 64 such connections still open after 9 s).
   */
  headersTimeoutMs: 2_000,
  requestTimeoutMs: 5_000,
  /** How often Node looks for requests past their deadline (its connectionsCheckingInterval). */
  connectionsCheckingIntervalMs: 500,
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
} as const;

const DEFAULT_RENDER_INTERVAL_MS = 500;

type Render = () => Promise<string>;

/**
 * Renders the exposition at most once per interval and shares one render between concurrent scrapes: a burst of
 * scrapes costs one render, not one each.
 */
function sharedRender(render: Render, intervalMs: number): Render {
  let inFlight: Promise<string> | undefined;
  let last: { text: string; at: number } | undefined;
  return () => {
    if (last !== undefined && performance.now() - last.at < intervalMs) return Promise.resolve(last.text);
    inFlight ??= render().then(
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
 * The HTTP side port: GET /metrics (Prometheus text format, or OpenMetrics when asked), /livez and /readyz (200 or
 * 503 with a one-line reason). Separate from the UDP port so scraping and probing never compete with traffic.
 */
export async function startHttpEndpoint(options: HttpEndpointOptions): Promise<HttpEndpoint> {
  const intervalMs = options.renderIntervalMs ?? DEFAULT_RENDER_INTERVAL_MS;
  const beforeRender = options.beforeRender ?? (() => Promise.resolve());
  // One shared render per format: a scraper of each format costs at most one render per interval.
  const renders = Object.fromEntries(
    EXPOSITION_FORMATS.map((format) => [
      format,
      sharedRender(() => beforeRender().then(() => renderExposition(options.registry, format)), intervalMs),
    ]),
  ) as Record<ExpositionFormat, Render>;
  const server: Server = createServer(
    {
      headersTimeout: HTTP_LIMITS.headersTimeoutMs,
      requestTimeout: HTTP_LIMITS.requestTimeoutMs,
      connectionsCheckingInterval: HTTP_LIMITS.connectionsCheckingIntervalMs,
      keepAliveTimeout: HTTP_LIMITS.keepAliveTimeoutMs,
    },
    (request, response) => {
      void route(options, renders, request, response).catch((err: unknown) => {
        reply(response, 500, 'text/plain', `internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      });
    },
  );
  // The hard cap, checked by Node before a connection costs a JS socket and a parser: above it a flood is refused
  // cheaply. Below it guardConnections keeps maxConnections by eviction, so the headroom is what evicted connections
  // occupy until they are closed.
  server.maxConnections = 2 * HTTP_LIMITS.maxConnections;
  guardConnections(server);
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

/**
 * Connection limits a slow client cannot game. A connection must send a whole request's headers within
 * headersTimeoutMs, and once maxConnections are open a newcomer takes the place of the oldest connection still
 * waiting for headers (or idle between requests); only when every connection is busy with a request is the newcomer
 * closed. Refusing newcomers instead let 64 slowloris connections, re-opened as they were closed, lock scrapes out
 * (seen: 0 of 30 000 scrapes answered on a busy machine).
 */
function guardConnections(server: Server): void {
  const open = new Set<Socket>();
  // Insertion-ordered, so the first entry is the connection that has waited longest.
  const waiting = new Set<Socket>();
  const deadlines = new WeakMap<Socket, NodeJS.Timeout>();
  const startWaiting = (socket: Socket, ms: number): void => {
    waiting.delete(socket);
    waiting.add(socket);
    clearTimeout(deadlines.get(socket));
    deadlines.set(
      socket,
      setTimeout(() => socket.destroy(), ms),
    );
  };
  const forget = (socket: Socket): void => {
    open.delete(socket);
    waiting.delete(socket);
    clearTimeout(deadlines.get(socket));
  };
  server.on('connection', (socket: Socket) => {
    if (open.size >= HTTP_LIMITS.maxConnections) {
      const oldest = waiting.values().next().value;
      if (oldest === undefined) {
        socket.destroy();
        return;
      }
      forget(oldest);
      oldest.destroy();
    }
    open.add(socket);
    startWaiting(socket, HTTP_LIMITS.headersTimeoutMs);
    socket.once('close', () => forget(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    waiting.delete(socket);
    clearTimeout(deadlines.get(socket));
    // A kept-alive connection waits again for its next request: the keep-alive wait, then the headers deadline.
    response.once('finish', () => {
      if (open.has(socket)) startWaiting(socket, HTTP_LIMITS.keepAliveTimeoutMs + HTTP_LIMITS.headersTimeoutMs);
    });
  });
}

async function route(
  options: HttpEndpointOptions,
  renders: Readonly<Record<ExpositionFormat, Render>>,
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
    case '/metrics': {
      const format = negotiateExpositionFormat(request.headers.accept);
      // Caches between us and the scraper must not serve one format's answer to a request for the other.
      response.setHeader('Vary', 'Accept');
      reply(response, 200, CONTENT_TYPES[format], await renders[format]());
      return;
    }
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

function sendProbe(response: ServerResponse, result: HealthVerdict): void {
  reply(response, result.ready ? 200 : 503, 'text/plain', `${result.ready ? 'ok' : 'not ok'}: ${result.reason}\n`);
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  response.end(body);
}
