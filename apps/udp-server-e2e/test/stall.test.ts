import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { MessageType, decode, encode } from '@ricochet/protocol';
import { sample } from './exposition';
import { killAll, startServer } from './processes';

// A stalled server (SIGSTOP: a long GC pause, a throttled CPU, a debugger) with datagrams arriving: the kernel
// queues what the receive buffer holds and drops the rest. After SIGCONT it must answer again, and every datagram
// must be accounted for exactly: read by the server, or dropped by the kernel for this socket.

afterEach(killAll);

const SENT = 3000;

describe('a stalled server', () => {
  it('recovers after SIGCONT, and read + dropped-for-its-socket = sent, logged once with the count', async () => {
    // A small buffer, so the stall overflows it; drop logs every 200 ms.
    const server = startServer({ RECV_BUFFER_BYTES: '4096', DROP_LOG_INTERVAL_SECONDS: '0.2' });
    const [port, metricsPort] = await Promise.all([server.port(), server.metricsPort()]);
    const client = createSocket('udp4');
    try {
      client.connect(port, '127.0.0.1');
      await once(client, 'connect');
      let replies = 0;
      const barrierId = SENT + 1;
      const barrier = new Promise<void>((resolve) =>
        client.on('message', (message: Buffer) => {
          replies++;
          if (decode(message).requestId === barrierId) resolve();
        }),
      );

      server.child.kill('SIGSTOP');
      const sends = Array.from(
        { length: SENT },
        (_, id) =>
          new Promise<void>((resolve, reject) =>
            client.send(encode({ type: MessageType.PING, requestId: id, payload: Buffer.alloc(32) }), (err) =>
              err ? reject(err) : resolve(),
            ),
          ),
      );
      await Promise.all(sends);
      server.child.kill('SIGCONT');
      // The first barriers may meet a buffer still full: resend every 50 ms until one is answered.
      let barriersSent = 0;
      const sendBarrier = (): void => {
        barriersSent++;
        client.send(encode({ type: MessageType.PING, requestId: barrierId, payload: Buffer.alloc(32) }));
      };
      sendBarrier();
      const resend = setInterval(sendBarrier, 50);
      const deadline = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('no answer within 5 s of SIGCONT')), 5000).unref(),
      );
      await Promise.race([barrier, deadline]).finally(() => clearInterval(resend));
      // Barriers sent after the answered one may still be queued. One last PING, into a buffer that is draining
      // again: its reply comes after every earlier datagram has been handled.
      const lastId = barrierId + 1;
      const last = new Promise<void>((resolve) =>
        client.on('message', (message: Buffer) => decode(message).requestId === lastId && resolve()),
      );
      barriersSent++;
      client.send(encode({ type: MessageType.PING, requestId: lastId, payload: Buffer.alloc(32) }));
      await Promise.race([last, deadline]);

      const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const read = sample(exposition, 'ricochet_datagrams_received_total{type="ping"}');
      const dropped = sample(exposition, 'ricochet_socket_drops_total');
      console.log(`stall: ${JSON.stringify({ sent: SENT + barriersSent, read, droppedForSocket: dropped, replies })}`);
      expect(dropped).toBeGreaterThan(0);
      expect(read + dropped).toBe(SENT + barriersSent);
      expect(replies).toBe(read);
      const logged = await server.waitForLog((e) => e['msg'] === 'datagrams dropped by the kernel');
      expect(logged).toMatchObject({ level: 'warn', reason: 'receive_buffer_full', count: dropped });
      const kernelDropLines = server.lines.filter((l) => l.includes('"msg":"datagrams dropped by the kernel"'));
      expect(kernelDropLines).toHaveLength(1);
    } finally {
      client.close();
    }
  });
});
