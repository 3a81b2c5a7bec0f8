import { EventEmitter, once } from 'node:events';
import pino from 'pino';
import { DropReason } from '../drop-reasons';
import { ServerStats } from '../server-stats';
import { startDropLogReporter } from './drop-log-reporter';

function capture(): { logger: pino.Logger; lines: Record<string, unknown>[]; written: EventEmitter } {
  const lines: Record<string, unknown>[] = [];
  const written = new EventEmitter();
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        written.emit('line');
      },
    },
  );
  return { logger, lines, written };
}

describe('drop log reporter', () => {
  it('writes one line per reason with the count since the last report, and none for quiet reasons', () => {
    const stats = new ServerStats();
    stats.dropped[DropReason.BAD_MAGIC] = 3; // before start: not reported
    const { logger, lines } = capture();
    const reporter = startDropLogReporter(stats, logger, 3600);
    stats.dropped[DropReason.BAD_MAGIC] += 5000;
    stats.dropped[DropReason.TOO_SHORT] += 2;
    stats.countSendError('EAGAIN');
    reporter.stop();
    expect(lines.map(({ msg, reason, code, count }) => ({ msg, reason, code, count }))).toEqual([
      { msg: 'datagrams dropped', reason: 'too_short', code: undefined, count: 2 },
      { msg: 'datagrams dropped', reason: 'bad_magic', code: undefined, count: 5000 },
      { msg: 'replies failed to send', reason: undefined, code: 'EAGAIN', count: 1 },
    ]);
  });

  it('reports on its interval', async () => {
    const stats = new ServerStats();
    const { logger, lines, written } = capture();
    const reporter = startDropLogReporter(stats, logger, 0.05);
    stats.dropped[DropReason.OVERSIZE]++;
    await once(written, 'line', { signal: AbortSignal.timeout(2000) });
    reporter.stop();
    expect(lines).toEqual([expect.objectContaining({ reason: 'oversize', count: 1, intervalSeconds: 0.05 })]);
  });
});
