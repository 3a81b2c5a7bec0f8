import { parentPort } from 'node:worker_threads';
import pino from 'pino';
import type { LogLevel } from '@ricochet/config';
import { LifecycleState } from '../lifecycle';
import { createLogger } from '../logger';
import { createServer } from '../server';
import { chooseSocketIo } from '../socket-io/choose-socket-io';
import type { TableCounts } from '../udp-service';
import type { FromWorker, ToWorker, WorkerCounts, WorkerData } from './worker-messages';

/** Levels a worker logs at: the pool logs the pod's lifecycle once, so workers only say what went wrong. */
const QUIET_LEVELS: readonly LogLevel[] = ['warn', 'error', 'fatal', 'silent'];

const tableCounts = (table: TableCounts | undefined): TableCounts | undefined =>
  table === undefined ? undefined : { size: table.size, evictions: table.evictions };

/**
 * A worker thread's life: one UdpServer on the pod's port (SO_REUSEPORT), driven by the pool's messages (drain,
 * close, counts), reporting when it listens and when it has stopped. The thread ends once its server has stopped.
 */
export function runWorkerThread(data: WorkerData): void {
  const port = parentPort;
  if (port === null) throw new Error('runWorkerThread: not in a worker thread');
  const { config, index } = data;
  const logger = createLogger({
    level: QUIET_LEVELS.includes(config.logLevel) ? config.logLevel : 'warn',
    // Synchronous: a worker logs rarely, and nothing may be lost when its thread ends.
    destination: pino.destination({ dest: 1, sync: true }),
  }).child({ worker: index });
  const server = createServer({ config, logger, reusePort: true, socketIo: chooseSocketIo(data.socketIo) });
  const post = (message: FromWorker): void => port.postMessage(message);
  const counts = (): WorkerCounts => ({
    stats: server.stats.toCounts(),
    sources: tableCounts(server.rateLimiter?.sources),
    prefixes: tableCounts(server.rateLimiter?.prefixes),
  });

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'drain':
        if (server.state === LifecycleState.SERVING) void server.drain();
        return;
      case 'close':
        void server.close();
        return;
      case 'counts':
        post({ type: 'counts', id: message.id, counts: counts() });
        return;
    }
  });
  server.addHook('onClose', () => {
    post({ type: 'stopped', counts: counts() });
    port.close();
  });
  server.listen().then(
    (address) =>
      post({ type: 'listening', address, recvBuffer: server.recvBuffer ?? { requestedBytes: 0, grantedBytes: 0 } }),
    (err: unknown) => {
      post({ type: 'failed', code: (err as { code?: string }).code ?? 'UNKNOWN', message: (err as Error).message });
      port.close();
    },
  );
}
