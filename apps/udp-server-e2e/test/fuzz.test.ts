import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import {
  MessageType,
  PROTOCOL_VERSION,
  MESSAGES,
  createRequestRouter,
  encode,
  paddedHealthRequest,
} from '@ricochet/protocol';
import { UdpClient, barrier, udpSocketDrops, until } from '@ricochet/testing';
import { sample, sumOf } from './exposition';
import { SOCKET_IO_PATHS, serverOver } from './processes';

// A live fuzz test: random and mutated datagrams at load against the built server. Asserts no crash, exact
// counters, and zero rule violations: every reply is a reply (type byte ≥ 0x80, magic RC), answers a datagram that
// was sent (its id), and is no longer than it. FUZZ_SECONDS sets the length (default 4): the soak mode is the same
// test run for longer, e.g. `FUZZ_SECONDS=600 npx jest -c apps/udp-server-e2e/jest.config.cjs fuzz`.

const SECONDS = Number(process.env['FUZZ_SECONDS'] ?? '4');
const PER_SECOND = 20_000;
const SOCKETS = 4;
const MAX_DATAGRAM_BYTES = 1472;

/** The reasons the fuzzer can predict from the bytes alone (the rest need the handlers: answered, or too short for
 * a reply, or a short unsupported version). */
const predictDrop = createRequestRouter<string | undefined>({
  table: MESSAGES,
  version: PROTOCOL_VERSION,
  routes: {
    tooShort: 'too_short',
    badMagic: 'bad_magic',
    replyType: 'reply_type',
    unknownType: 'unknown_type',
    otherVersion: undefined,
    request: () => undefined,
  },
});

const TEMPLATES = [
  encode({ type: MessageType.PING, requestId: 0, payload: Buffer.alloc(24) }),
  encode(paddedHealthRequest(0)),
  Buffer.from([0x52, 0x43, PROTOCOL_VERSION + 1, 0x01, 0, 0, 0, 0, 1, 2, 3, 4]),
  // A forged reply (PONG), the bait of a reflection loop.
  Buffer.from([0x52, 0x43, PROTOCOL_VERSION, 0x81, 0, 0, 0, 0, 1, 2, 3, 4]),
];

/** One fuzzed datagram: random bytes, or a valid request with bytes flipped, cut or appended. */
function fuzzed(n: number): Buffer {
  const choice = n % 4;
  if (choice === 0) return randomBytes(Math.floor(Math.random() * 64));
  const datagram = Buffer.from(TEMPLATES[Math.floor(n / 4) % TEMPLATES.length] as Buffer);
  datagram.writeUInt32BE(n >>> 0, 4);
  if (choice === 1) {
    const flips = 1 + Math.floor(Math.random() * 3);
    for (let i = 0; i < flips; i++) datagram[Math.floor(Math.random() * datagram.length)] ^= 1 << n % 8;
    return datagram;
  }
  if (choice === 2) return datagram.subarray(0, Math.floor(Math.random() * datagram.length));
  return Buffer.concat([datagram, randomBytes(Math.random() < 0.01 ? MAX_DATAGRAM_BYTES : 16)]);
}

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describe('the server under live fuzzing', () => {
    it(
      `survives ${SECONDS} s of random and mutated datagrams with exact counters and no rule broken`,
      async () => {
        const server = startServer();
        const [port, metricsPort] = await Promise.all([server.port(), server.metricsPort()]);
        const sockets: Socket[] = await Promise.all(
          Array.from({ length: SOCKETS }, async () => {
            const socket = createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
            socket.connect(port, '127.0.0.1');
            await once(socket, 'connect');
            return socket;
          }),
        );
        // The longest datagram sent with each id: a reply carrying that id may be no longer.
        const longestById = new Map<number, number>();
        const violations: string[] = [];
        let replies = 0;
        for (const socket of sockets) {
          socket.on('message', (reply: Buffer) => {
            replies++;
            const id = reply.length >= 8 ? reply.readUInt32BE(4) : -1;
            if (reply.length < 8 || reply[0] !== 0x52 || reply[1] !== 0x43 || (reply[3] as number) < 0x80) {
              violations.push(`not a reply: ${reply.toString('hex')}`);
            } else if (reply.length > (longestById.get(id) ?? 0)) {
              violations.push(`longer than its request (${longestById.get(id) ?? 'none'}): ${reply.length} bytes`);
            }
          });
        }

        const predicted: Record<string, number> = {
          too_short: 0,
          bad_magic: 0,
          reply_type: 0,
          unknown_type: 0,
          oversize: 0,
        };
        let sent = 0;
        const total = SECONDS * PER_SECOND;
        const started = performance.now();
        // Paced in 10 ms steps: a load the server keeps up with, so the kernel drops nothing and every count is exact.
        while (sent < total) {
          const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * PER_SECOND) + 200);
          for (; sent < due; sent++) {
            const datagram = fuzzed(sent);
            if (datagram.length >= 8) {
              const id = datagram.readUInt32BE(4);
              longestById.set(id, Math.max(longestById.get(id) ?? 0, datagram.length));
            }
            const reason = datagram.length > MAX_DATAGRAM_BYTES ? 'oversize' : predictDrop(datagram);
            if (reason !== undefined) predicted[reason] = (predicted[reason] as number) + 1;
            (sockets[sent % SOCKETS] as Socket).send(datagram);
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
        }

        // Still serving: a PING is answered, and after it every earlier datagram has been handled.
        await barrier(await UdpClient.open(), port, { timeoutMs: 5000 });

        const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        const received = sumOf(exposition, 'ricochet_datagrams_received_total');
        const dropped = sumOf(exposition, 'ricochet_datagrams_dropped_total');
        const answered = sumOf(exposition, 'ricochet_replies_sent_total');
        const kernelDropped = sample(exposition, 'ricochet_socket_drops_total');
        // Every reply reaches this process or is dropped at one of its sockets when a loaded machine starves it.
        const clientDropped = (): number =>
          sockets.reduce((sum, socket) => sum + udpSocketDrops(socket.address().port), 0);
        await until(() => replies + clientDropped() >= answered - 1, 10_000, 'every reply read or counted dropped');
        const repliesDropped = clientDropped();
        console.log(
          `fuzz: ${JSON.stringify({ seconds: SECONDS, sent, received, answered, dropped, kernelDropped, replies, repliesDropped, predicted })}`,
        );
        for (const socket of sockets) socket.close();

        expect(server.child.exitCode).toBeNull();
        expect(violations.slice(0, 5)).toEqual([]);
        expect(kernelDropped).toBe(0);
        expect(received).toBe(sent + 1);
        expect(answered + dropped).toBe(received);
        expect(replies + repliesDropped).toBe(answered - 1);
        for (const [reason, count] of Object.entries(predicted)) {
          expect({ reason, count: sample(exposition, `ricochet_datagrams_dropped_total{reason="${reason}"}`) }).toEqual(
            {
              reason,
              count,
            },
          );
        }
      },
      60_000 + SECONDS * 2000,
    );
  });
});
