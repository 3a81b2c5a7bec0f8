import type { ServerConfig } from '@ricochet/config';
import type { Logger } from 'pino';
import type { AddressInfo } from 'node:net';
import { startDropLogReporter } from './observability/drop-log-reporter';
import { startHttpEndpoint } from './observability/http-endpoint';
import { Readiness } from './observability/readiness';
import { createServerMetrics } from './observability/server-metrics';
import { LifecycleState } from './lifecycle';
import { createServer, type ServerOptions } from './server';
import type { UdpService } from './udp-service';
import { BUILD_COMMIT, SERVER_VERSION } from './version';
import { WorkerPool } from './workers/worker-pool';

export interface App {
  /** One server, or with WORKERS > 1 the pool of worker threads that serves the port together. */
  readonly server: UdpService;
  readonly udpAddress: AddressInfo;
  readonly metricsAddress: AddressInfo;
}

/**
 * The server with everything around it: the metrics/health HTTP port and the drop-log reporter. Both outlive the
 * drain (so /readyz reports it) and stop once the UDP socket has closed.
 */
export interface AppOptions extends Partial<Omit<ServerOptions, 'config' | 'logger'>> {
  /** See HttpEndpointOptions.renderIntervalMs; tests that count exactly set 0. */
  readonly metricsRenderIntervalMs?: number;
  /** Runs with the server created but not yet bound: main installs its signal handlers here, before "listening". */
  readonly beforeListen?: (server: UdpService) => void;
}

export async function startApp(config: Readonly<ServerConfig>, logger: Logger, options: AppOptions = {}): Promise<App> {
  const { metricsRenderIntervalMs, beforeListen, ...serverOptions } = options;
  // The server options (guards, service, …) are for one server in this thread; workers use the defaults.
  const pool = config.workers > 1 ? new WorkerPool({ config, logger }) : undefined;
  const server: UdpService = pool ?? createServer({ config, logger, ...serverOptions });
  const registry = createServerMetrics(server, { version: SERVER_VERSION, commit: BUILD_COMMIT });
  const readiness = new Readiness(server, pool === undefined ? undefined : () => pool.workersAnswer());
  // The HTTP port first and UDP last, so "serving" is logged (and HEALTH answers SERVING) only once every listener
  // is up; if UDP then fails to bind, the HTTP port is closed again.
  const endpoint = await startHttpEndpoint({
    host: config.metricsHost,
    port: config.metricsPort,
    registry,
    ...(metricsRenderIntervalMs === undefined ? {} : { renderIntervalMs: metricsRenderIntervalMs }),
    readiness: () => readiness.assess(),
    beforeRender: () => server.refreshStats(),
    liveness: () =>
      server.state === LifecycleState.STOPPED
        ? { ready: false, reason: 'server is stopped' }
        : { ready: true, reason: `server is ${server.state}` },
  }).catch(async (err: unknown) => {
    await server.close();
    throw err;
  });
  logger.info({ address: endpoint.address }, 'metrics and health endpoints listening');
  beforeListen?.(server);
  const udpAddress = await server.listen().catch(async (err: unknown) => {
    await endpoint.close();
    throw err;
  });
  const reporter = startDropLogReporter(
    server.stats,
    logger,
    config.dropLogIntervalSeconds,
    () => server.socketDrops(),
    () => server.refreshStats(),
  );
  server.addHook('onClose', async () => {
    reporter.stop();
    await endpoint.close();
  });
  return { server, udpAddress, metricsAddress: endpoint.address };
}
