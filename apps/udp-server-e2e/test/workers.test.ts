import { decode, encode, HealthStatus, MessageType, paddedHealthRequest } from '@ricochet/protocol';
import { UdpClient, barrier } from '@ricochet/testing';
import { sample } from './exposition';
import { SOCKET_IO_PATHS, serverOver } from './processes';

// WORKERS=2: two worker threads, each with its own socket on the one port (SO_REUSEPORT). Flows are spread by
// the kernel (a hash of source address and port), so a test that wants to reach both sockets sends from many
// client sockets: with 16 of them, all landing on one worker has odds of 2 in 65 536.

const CLIENTS = 16;
const WORKERS = '2';

const ping = (requestId: number): Buffer =>
  encode({ type: MessageType.PING, requestId, payload: Buffer.from('workers') });

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describe('a pod of two workers on one port', () => {
    it('starts once, answers every client, sums the counters, and the kernel spreads flows over both', async () => {
      const server = startServer({ WORKERS, DRAIN_SECONDS: '0' });
      const [port, metricsPort] = await Promise.all([server.port(), server.metricsPort()]);
      const clients = await Promise.all(Array.from({ length: CLIENTS }, () => UdpClient.open()));
      const replies = await Promise.all(clients.map((client, i) => client.request(ping(i), port, { attempts: 3 })));
      expect(replies.map((reply) => decode(reply))).toEqual(
        clients.map((_, i) => expect.objectContaining({ type: MessageType.PONG, requestId: i })),
      );
      // Per client, a barrier: everything it sent has been handled.
      for (const client of clients) await barrier(client, port);

      const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(sample(exposition, 'ricochet_workers')).toBe(2);
      expect(sample(exposition, `ricochet_socket_io_info{path="${socketIo}"}`)).toBe(1);
      expect(sample(exposition, 'ricochet_datagrams_received_total{type="ping"}')).toBe(2 * CLIENTS);
      expect(sample(exposition, 'ricochet_replies_sent_total{type="pong"}')).toBe(2 * CLIENTS);
      // Kernel counters once, not once per worker.
      expect(exposition.match(/^ricochet_kernel_udp_in_datagrams_total\{ip_version="4"\}/gm)).toHaveLength(1);

      const entries = (): Record<string, unknown>[] =>
        server.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      // The pod's lifecycle is logged once, by the pool; the workers log nothing at info.
      expect(entries().filter((e) => e['msg'] === 'listening')).toEqual([
        expect.objectContaining({ workers: 2, socketIo }),
      ]);
      expect(entries().filter((e) => e['worker'] !== undefined)).toEqual([]);

      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      const stopped = entries().at(-1)!;
      expect(stopped).toMatchObject({ to: 'stopped', stats: { received: { ping: 2 * CLIENTS } } });
      const byWorker = stopped['receivedByWorker'] as number[];
      expect(byWorker.reduce((a, b) => a + b, 0)).toBe(2 * CLIENTS);
      expect(byWorker).toEqual([expect.any(Number), expect.any(Number)]);
      expect(byWorker.every((n) => n > 0)).toBe(true);
    });

    it('drains as one: every worker answers HEALTH with DRAINING at once, PING is still answered, exit 0', async () => {
      const server = startServer({ WORKERS, DRAIN_SECONDS: '2' });
      const [port, metricsPort] = await Promise.all([server.port(), server.metricsPort()]);
      const clients = await Promise.all(Array.from({ length: CLIENTS }, () => UdpClient.open()));
      expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(200);

      server.child.kill('SIGTERM');
      await server.waitForJson((e) => e['to'] === 'draining');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(503);
      const statuses = await Promise.all(
        clients.map(async (client, i) => decode(await client.request(encode(paddedHealthRequest(i)), port))),
      );
      expect(new Set(statuses.map((s) => (s.type === MessageType.HEALTH_STATUS ? s.status : -1)))).toEqual(
        new Set([HealthStatus.DRAINING]),
      );
      expect(decode(await clients[0]!.request(ping(99), port))).toMatchObject({ type: MessageType.PONG });

      expect(await server.exited).toEqual({ code: 0, signal: null });
      const stopped = JSON.parse(server.lines.at(-1)!) as { receivedByWorker: number[] };
      // Both sockets took some of the 16 flows' HEALTH requests.
      expect(stopped.receivedByWorker.every((n) => n > 0)).toBe(true);
    });

    it('refuses a port another server holds, as one server would: exit 1, one coded fatal line', async () => {
      // A single server binds without SO_REUSEPORT, so no socket may join it. (The sockets of a pool all set it:
      // a second pool of the same user on the same port would share the flows; the kernel allows that.)
      const taken = await startServer({ WORKERS: '1' }).port();
      const second = startServer({ WORKERS, UDP_PORT: String(taken) });
      expect(await second.exited).toEqual({ code: 1, signal: null });
      expect(second.lines.map((l) => JSON.parse(l) as Record<string, unknown>).at(-1)).toMatchObject({
        level: 'fatal',
        msg: 'could not start',
        err: { code: 'UDP_ERR_SOCKET', message: expect.stringContaining(`failed for 127.0.0.1:${taken}: `) },
      });
    });
  });
});
