import { UdpClient } from '@ricochet/testing';
import { SOCKET_IO_PATHS, serverOver } from './processes';

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describe('logs under a flood of bad datagrams', () => {
    it('write at most one line per drop reason per interval, carrying the count', async () => {
      const server = startServer({ DROP_LOG_INTERVAL_SECONDS: '0.5' });
      const port = await server.port();
      const client = await UdpClient.open();
      const started = performance.now();
      const badMagic = Buffer.from('not ricochet at all');
      const tooShort = Buffer.from([0x52]);
      for (let i = 0; i < 4000; i++) await client.send(i % 4 === 0 ? tooShort : badMagic, port);

      // Every dropped datagram is accounted for in the logs once its interval has passed.
      const counted = (reason: string): number =>
        server.lines
          .map((l) => JSON.parse(l) as { msg: string; reason?: string; count?: number })
          .filter((e) => e.msg === 'datagrams dropped' && e.reason === reason)
          .reduce((sum, e) => sum + (e.count ?? 0), 0);
      await server.waitForJson(() => counted('bad_magic') === 3000 && counted('too_short') === 1000, 10_000);
      const elapsedIntervals = Math.ceil((performance.now() - started) / 500) + 1;

      const dropLines = server.lines
        .filter((l) => l.includes('"datagrams dropped"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const reason of ['bad_magic', 'too_short']) {
        const lines = dropLines.filter((e) => e['reason'] === reason);
        expect(lines.length).toBeGreaterThanOrEqual(1);
        expect(lines.length).toBeLessThanOrEqual(elapsedIntervals);
        for (const line of lines)
          expect(line).toMatchObject({ level: 'warn', intervalSeconds: 0.5, count: expect.any(Number) });
      }
      // 4000 bad datagrams, a handful of lines.
      expect(server.lines.length).toBeLessThan(40);
    });
  });
});
