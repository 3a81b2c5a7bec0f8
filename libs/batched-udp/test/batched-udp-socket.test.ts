import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UdpClient, canForge, itIf, makeTempDir, sendForged } from '@ricochet/testing';
import { ADDON_FILE, BatchedUdpError, loadBatchedUdp } from '../src';
import { addon, recordingSocket } from './echo-socket';

const datagram = (id: number, bytes = 16): Buffer => {
  const buf = Buffer.alloc(bytes, id & 0xff);
  buf.writeUInt32BE(id, 0);
  return buf;
};

/** Sends every datagram, then collects `expected` datagrams back (or fails after 5 s). */
async function exchange(
  client: UdpClient,
  port: number,
  datagrams: readonly Buffer[],
  expected = datagrams.length,
): Promise<Buffer[]> {
  const received: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${received.length} of ${expected} replies within 5 s`)), 5000);
    const onMessage = (reply: Buffer): void => {
      received.push(reply);
      if (received.length === expected) {
        clearTimeout(timer);
        client.socket.off('message', onMessage);
        resolve();
      }
    };
    client.socket.on('message', onMessage);
  });
  // All at once: they queue at the receiver, which then reads several per call.
  await Promise.all(datagrams.map((d) => client.send(d, port)));
  await done;
  return received;
}

describe('loading the addon', () => {
  it('finds the build output and loads it', () => {
    expect(addon().file.endsWith(ADDON_FILE)).toBe(true);
  });

  it('answers with a reason, never a throw, when the file is missing or not an addon', () => {
    const dir = makeTempDir('batched-udp-load');
    const missing = loadBatchedUdp([join(dir, 'none.node')]);
    expect(missing).toMatchObject({ loaded: false, reason: expect.stringMatching(/none\.node: not found/) });
    const garbage = join(dir, 'garbage.node');
    writeFileSync(garbage, 'not a shared object');
    const broken = loadBatchedUdp([garbage]);
    expect(broken).toMatchObject({ loaded: false, reason: expect.stringContaining('garbage.node: ') });
    expect(broken.loaded ? '' : broken.reason).toMatch(/nx run batched-udp:build-native/);
  });
});

describe('a batched socket', () => {
  it('hands each datagram over in place with its length and source, and sends the reply written over it', async () => {
    const server = recordingSocket();
    const client = await UdpClient.open();
    const [reply] = await exchange(client, server.port, [datagram(7, 20)]);
    expect(reply).toEqual(Buffer.concat([Buffer.from([0xee]), datagram(7, 20).subarray(1)]));
    expect(server.deliveries).toEqual([
      expect.objectContaining({
        slot: 0,
        length: 20,
        port: client.port,
        family: 4,
        words: [0, 0, 0xffff, 0x7f000001],
        address: '127.0.0.1',
      }),
    ]);
    expect(server.errors).toEqual([]);
  });

  it('reads many datagrams per call when they are queued, and answers every one exactly once', async () => {
    const server = recordingSocket({ batchSize: 32 });
    server.socket.setRecvBufferSize(4 << 20);
    const client = await UdpClient.open({ recvBufferSize: 4 << 20 });
    const sent = Array.from({ length: 500 }, (_, i) => datagram(i));
    const replies = await exchange(client, server.port, sent);
    expect(replies.map((r) => r.readUInt32BE(0) & 0x00ffffff).sort((a, b) => a - b)).toEqual(sent.map((_, i) => i));
    expect(server.deliveries).toHaveLength(500);
    // Slots past the first: more than one datagram came out of one recvmmsg.
    expect(Math.max(...server.deliveries.map((d) => d.slot))).toBeGreaterThan(0);
    expect(Math.max(...server.deliveries.map((d) => d.slot))).toBeLessThan(32);
  });

  it('sends nothing for a datagram answered with 0, and answers the ones around it', async () => {
    const server = recordingSocket({ reply: (bytes, length) => (bytes.readUInt32BE(0) === 2 ? 0 : length) });
    const client = await UdpClient.open();
    const replies = await exchange(client, server.port, [datagram(1), datagram(2), datagram(3)], 2);
    expect(replies.map((r) => r.readUInt32BE(0))).toEqual([1, 3]);
    expect(server.deliveries).toHaveLength(3);
  });

  it('reports the whole length of a datagram longer than its slot, and keeps only the slot', async () => {
    const server = recordingSocket({ slotBytes: 64, reply: () => 8 });
    const client = await UdpClient.open();
    const [reply] = await exchange(client, server.port, [datagram(9, 1000)]);
    expect(reply).toHaveLength(8);
    expect(server.deliveries[0]).toMatchObject({ length: 1000 });
    expect(server.deliveries[0]!.bytes).toHaveLength(64);
  });

  it('serves IPv6, and reports an IPv4 client of a dual-stack socket as ::ffff:a.b.c.d', async () => {
    const v6 = recordingSocket({ address: '::1' });
    const client6 = await UdpClient.open({ host: '::1' });
    await exchange(client6, v6.port, [datagram(1)]);
    expect(v6.deliveries[0]).toMatchObject({ family: 6, words: [0, 0, 0, 1], address: '::1' });

    const dual = recordingSocket({ address: '::' });
    const client4 = await UdpClient.open();
    await exchange(client4, dual.port, [datagram(2)]);
    expect(dual.deliveries[0]).toMatchObject({
      family: 6,
      words: [0, 0, 0xffff, 0x7f000001],
      address: '::ffff:127.0.0.1',
    });
  });

  it('counts a reply the kernel refuses under its errno, and goes on with the batch', async () => {
    // The reply to request 2 claims more bytes than its slot holds: refused before the system call, as EINVAL.
    const server = recordingSocket({
      slotBytes: 64,
      reply: (bytes, length) => (bytes.readUInt32BE(0) === 2 ? 65 : length),
    });
    const client = await UdpClient.open();
    const replies = await exchange(client, server.port, [datagram(1), datagram(2), datagram(3)], 2);
    expect(replies.map((r) => r.readUInt32BE(0) & 0x00ffffff)).toEqual([1, 3]);
    expect(server.errors).toEqual([{ code: 'EINVAL', syscall: 'sendmmsg', count: 1 }]);
  });

  itIf(canForge(), 'forging a source port needs a raw socket (root)')(
    'counts a sendmmsg failure: a reply to source port 0 is refused with EINVAL',
    async () => {
      const server = recordingSocket();
      await sendForged([{ from: { port: 0 }, to: { port: server.port }, payload: datagram(5) }]);
      // Answered after the forged one, in this thread: its errors were reported before the reply is read.
      await exchange(await UdpClient.open(), server.port, [datagram(6)]);
      expect(server.deliveries[0]).toMatchObject({ port: 0 });
      expect(server.errors).toEqual([{ code: 'EINVAL', syscall: 'sendmmsg', count: 1 }]);
    },
  );

  it('refuses a port in use with a coded error, and shares one with reusePort', async () => {
    const taken = createSocket('udp4');
    taken.bind(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      expect(() => recordingSocket({ port: taken.address().port })).toThrow(
        expect.objectContaining({ name: 'BatchedUdpError', code: 'EADDRINUSE', syscall: 'bind' }),
      );
    } finally {
      taken.close();
    }
    const first = recordingSocket({ reusePort: true });
    const second = recordingSocket({ port: first.port, reusePort: true });
    expect(second.port).toBe(first.port);
    expect(() => recordingSocket({ port: first.port })).toThrow(BatchedUdpError);
  });

  it('reports the receive buffer the kernel granted', () => {
    const { socket } = recordingSocket();
    expect(socket.setRecvBufferSize(65_536)).toBeGreaterThanOrEqual(65_536);
    expect(socket.getRecvBufferSize()).toBeGreaterThanOrEqual(65_536);
  });

  it('stops delivering at close, refuses further use, and may be closed twice', async () => {
    const server = recordingSocket();
    const client = await UdpClient.open();
    await exchange(client, server.port, [datagram(1)]);
    server.socket.close();
    server.socket.close();
    await client.send(datagram(2), server.port);
    expect(() => server.socket.start()).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_DGRAM_NOT_RUNNING' }));
    expect(server.deliveries).toHaveLength(1);
  });

  it('serves in a worker thread, and lets the thread end with the socket still open', async () => {
    const worker = new Worker(
      `
      const { parentPort } = require('node:worker_threads');
      const module = { exports: {} };
      process.dlopen(module, ${JSON.stringify(addon().file)});
      const { BatchedSocket } = module.exports;
      const data = new ArrayBuffer(4 * 256), meta = new ArrayBuffer(4 * 32), list = new ArrayBuffer(4 * 8);
      const replies = new Uint32Array(list), lengths = new Uint32Array(meta);
      const socket = new BatchedSocket(4, data, meta, list, 4, 256, (count) => {
        for (let i = 0; i < count; i++) { replies[2 * i] = i; replies[2 * i + 1] = lengths[8 * i]; }
        return count;
      }, () => {});
      const port = socket.bind('127.0.0.1', 0, false);
      socket.start();
      parentPort.postMessage(port);
      `,
      { eval: true },
    );
    const [port] = (await once(worker, 'message')) as [number];
    const client = await UdpClient.open();
    expect(await client.request(datagram(4), port)).toEqual(datagram(4));
    // Terminating tears the thread's environment down with the poll handle open: the addon must close it, or
    // Node aborts the whole process ("uv_loop_close() while having open handles").
    expect(await worker.terminate()).toBe(1);
  });
});
