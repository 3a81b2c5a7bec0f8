import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { MessageType, decode, encode } from '@ricochet/protocol';
import { canLimitCpu, createCpuCgroup, describeIf, type CpuCgroup } from '@ricochet/testing';
import { sample } from './exposition';
import { killAll, startServer } from './processes';

// Sustained load past capacity. The server runs with a tenth of a core (a CFS quota, as a pod's CPU limit gives)
// and is offered several times what that can answer for over a second: it must keep answering throughout, drop
// the excess in the kernel, recover when the load ends, and account for every datagram exactly: read by the
// server (each answered) or dropped by the kernel for its socket.

const SENT = 30_000;
const BATCH = 500;
const MILLICORES = 100;

function send(client: Socket, requestId: number): Promise<void> {
  return new Promise((resolve, reject) =>
    client.send(encode({ type: MessageType.PING, requestId, payload: Buffer.alloc(32) }), (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

/** Resolves with the reply count once `id` is answered; resends it every 50 ms, counting each send in `sent`. */
async function untilAnswered(client: Socket, id: number, sent: { count: number }, timeoutMs: number): Promise<void> {
  const answered = new Promise<void>((resolve) =>
    client.on('message', (message: Buffer) => decode(message).requestId === id && resolve()),
  );
  const resend = (): void => {
    sent.count++;
    client.send(encode({ type: MessageType.PING, requestId: id, payload: Buffer.alloc(32) }));
  };
  resend();
  const timer = setInterval(resend, 50);
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`PING ${id} unanswered after ${timeoutMs} ms`)), timeoutMs).unref(),
  );
  await Promise.race([answered, deadline]).finally(() => clearInterval(timer));
}

describeIf(canLimitCpu(), 'needs root and the cgroup v1 cpu controller')('a server past its capacity', () => {
  let cgroup: CpuCgroup | undefined;

  afterEach(async () => {
    await killAll();
    cgroup?.remove();
    cgroup = undefined;
  });

  it('keeps answering, recovers, and read + dropped-for-its-socket = sent, every read answered', async () => {
    cgroup = createCpuCgroup('overload', MILLICORES);
    const server = startServer({ RECV_BUFFER_BYTES: '65536', DROP_LOG_INTERVAL_SECONDS: '0.2' }, [], { cgroup });
    const [port, metricsPort] = await Promise.all([server.port(), server.metricsPort()]);
    // A receive buffer big enough for every reply: this process is busy sending while they arrive.
    const client = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    try {
      client.connect(port, '127.0.0.1');
      await once(client, 'connect');
      let replies = 0;
      client.on('message', () => replies++);

      const started = performance.now();
      for (let id = 1; id <= SENT; id += BATCH) {
        await Promise.all(Array.from({ length: BATCH }, (_, i) => send(client, id + i)));
        // Paced, for a sustained load (about 25 000/s for 1.2 s) rather than one burst.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const offeredSeconds = (performance.now() - started) / 1000;
      const repliesDuringLoad = replies;

      // Recovery (resent until answered), then one last PING, into a buffer that is draining again: its answer
      // comes after every earlier datagram was handled.
      const extra = { count: 0 };
      await untilAnswered(client, SENT + 1, extra, 10_000);
      const lastId = SENT + 2;
      const last = new Promise<void>((resolve) =>
        client.on('message', (message: Buffer) => decode(message).requestId === lastId && resolve()),
      );
      extra.count++;
      await send(client, lastId);
      await Promise.race([
        last,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the last PING was not answered in 10 s')), 10_000).unref(),
        ),
      ]);

      const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const read = sample(exposition, 'ricochet_datagrams_received_total{type="ping"}');
      const dropped = sample(exposition, 'ricochet_socket_drops_total');
      const sent = SENT + extra.count;
      console.log(
        `overload: ${JSON.stringify({ sent, offeredPerSecond: Math.round(SENT / offeredSeconds), read, droppedForSocket: dropped, replies, repliesDuringLoad })}`,
      );
      // Past capacity: the kernel dropped some, and the server answered throughout rather than stalling.
      expect(dropped).toBeGreaterThan(0);
      expect(repliesDuringLoad).toBeGreaterThan(0);
      expect(read + dropped).toBe(sent);
      expect(replies).toBe(read);
      const logged = await server.waitForLog((e) => e['msg'] === 'datagrams dropped by the kernel');
      expect(logged).toMatchObject({ level: 'warn', reason: 'receive_buffer_full' });
    } finally {
      client.close();
    }
  }, 60_000);
});
