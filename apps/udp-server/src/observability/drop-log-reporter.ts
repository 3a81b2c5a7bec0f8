import type { Logger } from 'pino';
import { DROP_REASON_NAMES } from '../drop-reasons';
import type { ServerStats } from '../server-stats';

export interface DropLogReporter {
  /** Logs what is left of the current interval and stops. */
  stop(): void;
}

/**
 * Reports drops and send errors from the counters, at most one line per reason per interval, carrying the count.
 * Nothing is logged on the per-datagram path, so a flood of bad datagrams cannot flood the logs.
 */
export function startDropLogReporter(
  stats: ServerStats,
  logger: Logger,
  intervalSeconds: number,
  socketDrops: () => Promise<number | undefined> = () => Promise.resolve(undefined),
  /** Brings `stats` up to date before each report (a pool of workers); the final report on stop() does not wait. */
  refreshStats: () => Promise<void> = () => Promise.resolve(),
): DropLogReporter {
  const lastDropped = Float64Array.from(stats.dropped);
  const lastSendErrors = new Map(stats.sendErrors);
  // The socket is new: the kernel counts its drops from 0.
  let lastSocketDrops = 0;

  // Drops before the socket: the kernel's, for this socket alone, when its receive buffer was full.
  const reportSocketDrops = async (): Promise<void> => {
    const drops = await socketDrops();
    if (drops === undefined) return;
    const count = drops - lastSocketDrops;
    lastSocketDrops = drops;
    if (count > 0) {
      logger.warn({ reason: 'receive_buffer_full', count, intervalSeconds }, 'datagrams dropped by the kernel');
    }
  };

  const report = (): void => {
    for (let i = 0; i < DROP_REASON_NAMES.length; i++) {
      const count = (stats.dropped[i] as number) - (lastDropped[i] as number);
      if (count > 0) logger.warn({ reason: DROP_REASON_NAMES[i], count, intervalSeconds }, 'datagrams dropped');
      lastDropped[i] = stats.dropped[i] as number;
    }
    for (const [code, total] of stats.sendErrors) {
      const count = total - (lastSendErrors.get(code) ?? 0);
      if (count > 0) logger.error({ code, count, intervalSeconds }, 'replies failed to send');
      lastSendErrors.set(code, total);
    }
    void reportSocketDrops();
  };

  let stopped = false;
  const timer = setInterval(
    () => void refreshStats().then(() => (stopped ? undefined : report())),
    intervalSeconds * 1000,
  );
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      report();
    },
  };
}
