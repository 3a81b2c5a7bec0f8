import { decode, encode, HealthStatus, MessageType, paddedHealthRequest } from '@ricochet/protocol';
import type { UdpServer } from '../src/server';
import { SERVER_VERSION } from '../src/version';
import { UdpClient, barrier } from '@ricochet/testing';
import { SOCKET_IO_PATHS, startServer } from './helpers';

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  let server: UdpServer;
  let port: number;
  let client: UdpClient;

  beforeEach(async () => {
    ({ server, port } = await startServer({ SOCKET_IO: socketIo }));
    client = await UdpClient.open();
  });

  describe('round trips on loopback', () => {
    it('answers a PING with a PONG of the same id, payload and length', async () => {
      const ping = encode({ type: MessageType.PING, requestId: 4242, payload: Buffer.from('hello ricochet') });
      const reply = await client.request(ping, port);
      expect(reply).toHaveLength(ping.length);
      expect(decode(reply)).toEqual({
        type: MessageType.PONG,
        requestId: 4242,
        payload: Buffer.from('hello ricochet'),
      });
    });

    it('answers an empty PING (header only)', async () => {
      const reply = await client.request(
        encode({ type: MessageType.PING, requestId: 1, payload: Buffer.alloc(0) }),
        port,
      );
      expect(decode(reply)).toMatchObject({ type: MessageType.PONG, requestId: 1 });
    });

    it('answers a padded HEALTH with SERVING, the server version and its uptime', async () => {
      const reply = await client.request(encode(paddedHealthRequest(99)), port);
      expect(decode(reply)).toEqual({
        type: MessageType.HEALTH_STATUS,
        requestId: 99,
        status: HealthStatus.SERVING,
        uptimeSeconds: 0,
        serverVersion: SERVER_VERSION,
      });
    });

    it('answers a PING of the largest allowed size', async () => {
      const ping = encode({ type: MessageType.PING, requestId: 5, payload: Buffer.alloc(1472 - 8, 0xab) });
      expect(await client.request(ping, port)).toEqual(
        Buffer.concat([ping.subarray(0, 3), Buffer.from([0x81]), ping.subarray(4)]),
      );
    });

    it('counts exactly: N pings and M health checks give N and M more received, and as many replies', async () => {
      const before = server.stats.snapshot();
      const pings = Array.from({ length: 50 }, (_, i) =>
        encode({ type: MessageType.PING, requestId: i, payload: Buffer.from([i]) }),
      );
      const healths = Array.from({ length: 7 }, (_, i) => encode(paddedHealthRequest(1000 + i)));
      const { replies } = await barrier(client, port, { before: [...pings, ...healths] });
      expect(replies).toHaveLength(57);
      const after = server.stats.snapshot();
      // +1 for the barrier PING.
      expect(after.received['ping']! - before.received['ping']!).toBe(51);
      expect(after.replies['pong']! - before.replies['pong']!).toBe(51);
      expect(after.received['health']! - before.received['health']!).toBe(7);
      expect(after.replies['health_status']! - before.replies['health_status']!).toBe(7);
      expect(Object.values(after.dropped).reduce((a, b) => a + b, 0)).toBe(0);
    });

    it('answers IPv6 clients when bound to ::1', async () => {
      const v6 = await startServer({ UDP_HOST: '::1', SOCKET_IO: socketIo });
      const client6 = await UdpClient.open({ host: '::1' });
      const ping = encode({ type: MessageType.PING, requestId: 6, payload: Buffer.from('v6') });
      expect(decode(await client6.request(ping, v6.port))).toMatchObject({ type: MessageType.PONG, requestId: 6 });
    });
  });
});
