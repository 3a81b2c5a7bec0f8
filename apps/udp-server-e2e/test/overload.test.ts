import { MessageType, encode } from '@ricochet/protocol';
import { UdpClient, barrier, canLimitCpu, createCpuCgroup, describeIf } from '@ricochet/testing';
import { sample } from './exposition';
import { SOCKET_IO_PATHS, serverOver } from './processes';

// Sustained load past capacity. The server runs with a tenth of a core (a CFS quota, as a pod's CPU limit gives)
// and is offered several times what that can answer for over a second: it must keep answering throughout, drop
// the excess in the kernel, recover when the load ends, and account for every datagram exactly: read by the
// server (each answered) or dropped by the kernel for its socket.

const SENT = 30_000;
const BATCH = 500;
const MILLICORES = 100;

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describeIf(canLimitCpu(), 'needs root and the cgroup v1 cpu controller')('a server past its capacity', () => {
    it('keeps answering, recovers, and read + dropped-for-its-socket = sent, every read answered', async () => {
      const cgroup = createCpuCgroup('overload', MILLICORES);
      const server = startServer({ RECV_BUFFER_BYTES: '65536', DROP_LOG_INTERVAL_SECONDS: '0.2' }, [], { cgroup });
      const [port, metricsPort] = await Promise.all([server.port(), server.metricsPort()]);
      // A receive buffer big enough for every reply: this process is busy sending while they arrive.
      const client = await UdpClient.open({ recvBufferSize: 4 * 1024 * 1024 });
      let replies = 0;
      client.socket.on('message', () => replies++);

      const started = performance.now();
      for (let id = 1; id <= SENT; id += BATCH) {
        await Promise.all(
          Array.from({ length: BATCH }, (_, i) =>
            client.send(encode({ type: MessageType.PING, requestId: id + i, payload: Buffer.alloc(32) }), port),
          ),
        );
        // Paced, for a sustained load (about 25 000/s for 1.2 s) rather than one burst.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const offeredSeconds = (performance.now() - started) / 1000;
      const repliesDuringLoad = replies;

      // Recovery (PINGs resent until one is answered), then one last PING, into a buffer that is draining again:
      // its answer comes after every earlier datagram was handled.
      const settled = await barrier(client, port, { resendMs: 50 });

      const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const read = sample(exposition, 'ricochet_datagrams_received_total{type="ping"}');
      const dropped = sample(exposition, 'ricochet_socket_drops_total');
      const sent = SENT + settled.pingsSent;
      console.log(
        `overload: ${JSON.stringify({ sent, offeredPerSecond: Math.round(SENT / offeredSeconds), read, droppedForSocket: dropped, replies, repliesDuringLoad })}`,
      );
      // Past capacity: the kernel dropped some, and the server answered throughout rather than stalling.
      expect(dropped).toBeGreaterThan(0);
      expect(repliesDuringLoad).toBeGreaterThan(0);
      expect(read + dropped).toBe(sent);
      expect(replies).toBe(read);
      const logged = await server.waitForJson((e) => e['msg'] === 'datagrams dropped by the kernel');
      expect(logged).toMatchObject({ level: 'warn', reason: 'receive_buffer_full' });
    }, 60_000);
  });
});
