import { MessageType, encode } from '@ricochet/protocol';
import { UdpClient, barrier } from '@ricochet/testing';
import { sample } from './exposition';
import { SOCKET_IO_PATHS, serverOver } from './processes';

// A stalled server (SIGSTOP: a long GC pause, a throttled CPU, a debugger) with datagrams arriving: the kernel
// queues what the receive buffer holds and drops the rest. After SIGCONT it must answer again, and every datagram
// must be accounted for exactly: read by the server, or dropped by the kernel for this socket.

const SENT = 3000;

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describe('a stalled server', () => {
    it('recovers after SIGCONT, and read + dropped-for-its-socket = sent, logged once with the count', async () => {
      // A small buffer, so the stall overflows it; drop logs every 200 ms.
      const server = startServer({ RECV_BUFFER_BYTES: '4096', DROP_LOG_INTERVAL_SECONDS: '0.2' });
      const [port, metricsPort] = await Promise.all([server.port(), server.metricsPort()]);
      const client = await UdpClient.open();
      const ping = (requestId: number): Buffer =>
        encode({ type: MessageType.PING, requestId, payload: Buffer.alloc(32) });

      server.child.kill('SIGSTOP');
      await Promise.all(Array.from({ length: SENT }, (_, id) => client.send(ping(id), port)));
      server.child.kill('SIGCONT');
      // The first barrier PINGs may meet a buffer still full: resent every 50 ms until one is answered, then one
      // last PING into a buffer that is draining again: its reply comes after every earlier datagram was handled.
      const settled = await barrier(client, port, { resendMs: 50, timeoutMs: 5000 });
      const replies = settled.replies.length + settled.pingsAnswered;
      const sent = SENT + settled.pingsSent;

      const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const read = sample(exposition, 'ricochet_datagrams_received_total{type="ping"}');
      const dropped = sample(exposition, 'ricochet_socket_drops_total');
      console.log(`stall: ${JSON.stringify({ sent, read, droppedForSocket: dropped, replies })}`);
      expect(dropped).toBeGreaterThan(0);
      expect(read + dropped).toBe(sent);
      expect(replies).toBe(read);
      const logged = await server.waitForJson((e) => e['msg'] === 'datagrams dropped by the kernel');
      expect(logged).toMatchObject({ level: 'warn', reason: 'receive_buffer_full', count: dropped });
      const kernelDropLines = server.lines.filter((l) => l.includes('"msg":"datagrams dropped by the kernel"'));
      expect(kernelDropLines).toHaveLength(1);
    });
  });
});
