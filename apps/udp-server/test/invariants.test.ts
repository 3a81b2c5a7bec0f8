import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import fc from 'fast-check';
import { decode, encode, MessageType, paddedHealthRequest } from '@ricochet/protocol';
import { DROP_REASON_NAMES } from '../src/drop-reasons';
import { ACCEPT, rejectPrivilegedSourcePort, type Guard } from '../src/guards';
import type { UdpServer } from '../src/server';
import { UdpClient, barrier, canForge, itIf, sendForged } from '@ricochet/testing';
import { SOCKET_IO_PATHS, startServer } from './helpers';

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  let server: UdpServer;
  let port: number;
  let client: UdpClient;

  beforeEach(async () => {
    ({ server, port } = await startServer({ MAX_DATAGRAM_BYTES: '512', SOCKET_IO: socketIo }));
    client = await UdpClient.open();
  });

  /** The replies to `datagrams`, all of them: a barrier PING after them was answered. */
  const repliesTo = async (datagrams: readonly Buffer[], to = port): Promise<Buffer[]> =>
    (await barrier(client, to, { before: datagrams })).replies;

  const hex = (text: string): Buffer => Buffer.from(text.replaceAll(' ', ''), 'hex');

  function dropsSince(before: Record<string, number>): Record<string, number> {
    const now = server.stats.snapshot().dropped;
    return Object.fromEntries(DROP_REASON_NAMES.map((r) => [r, now[r]! - before[r]!]).filter(([, n]) => n !== 0));
  }

  describe('malformed and unanswerable input is dropped and counted under its reason, never echoed', () => {
    it.each([
      ['an empty datagram', Buffer.alloc(0), 'too_short'],
      ['7 bytes', hex('52 43 01 01 00 00 00'), 'too_short'],
      ['a wrong magic', hex('58 58 01 01 00 00 00 01 aa'), 'bad_magic'],
      ['an unknown request type', hex('52 43 01 03 00 00 00 01'), 'unknown_type'],
      ['a PONG', hex('52 43 01 81 00 00 00 01 aa'), 'reply_type'],
      ['a HEALTH_STATUS', hex('52 43 01 82 00 00 00 01 00 00 00 00 00 00'), 'reply_type'],
      ['an ERROR', hex('52 43 01 ff 00 00 00 01 01 01'), 'reply_type'],
      ['an unknown type with the reply bit', hex('52 43 01 90 00 00 00 01'), 'reply_type'],
      [
        'a datagram over MAX_DATAGRAM_BYTES',
        encode({ type: MessageType.PING, requestId: 1, payload: Buffer.alloc(505) }),
        'oversize',
      ],
      [
        'an unpadded HEALTH (its reply would be longer)',
        encode({ type: MessageType.HEALTH, requestId: 1, paddingBytes: 0 }),
        'reply_exceeds_request',
      ],
      [
        'a HEALTH one byte short of its reply',
        encode({ type: MessageType.HEALTH, requestId: 1, paddingBytes: 10 }),
        'reply_exceeds_request',
      ],
      [
        'a 9-byte datagram in version 2 (too short for the ERROR)',
        hex('52 43 02 01 00 00 00 01 00'),
        'unsupported_version',
      ],
    ])('%s', async (_case, datagram, reason) => {
      const before = server.stats.snapshot().dropped;
      const replies = await repliesTo([datagram, datagram, datagram]);
      expect(replies).toEqual([]);
      expect(dropsSince(before)).toEqual({ [reason]: 3 });
    });

    it('a datagram of exactly MAX_DATAGRAM_BYTES is still answered', async () => {
      const ping = encode({ type: MessageType.PING, requestId: 1, payload: Buffer.alloc(504) });
      expect(await repliesTo([ping])).toHaveLength(1);
    });

    it('answers another version with one ERROR naming version 1, counted as that reply and not as a drop', async () => {
      const before = server.stats.snapshot();
      const v2 = hex('52 43 02 01 00 00 30 39 de ad be ef');
      const replies = await repliesTo([v2]);
      expect(replies.map((r) => decode(r))).toEqual([
        { type: MessageType.ERROR, requestId: 12345, errorCode: 1, supportedVersion: 1 },
      ]);
      expect(replies[0]!.length).toBeLessThanOrEqual(v2.length);
      expect(dropsSince(before.dropped)).toEqual({});
      expect(server.stats.snapshot().replies['error']! - before.replies['error']!).toBe(1);
    });
  });

  describe('security invariants', () => {
    it('never sends a reply longer than its request, and at most one per request, whatever arrives', async () => {
      const datagram = fc.oneof(
        fc.uint8Array({ maxLength: 64 }),
        fc
          .tuple(
            fc.constantFrom(0x01, 0x02, 0x03, 0x81, 0x82, 0xff),
            fc.constantFrom(0x01, 0x02),
            fc.uint8Array({ maxLength: 60 }),
          )
          .map(([type, version, rest]) => Uint8Array.from([0x52, 0x43, version, type, ...rest])),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(datagram, { minLength: 1, maxLength: 20 }), async (batch) => {
          // Tag each request with a unique id, so a reply names the request it answers.
          const requests = batch.map((bytes, i) => {
            const buf = Buffer.from(bytes);
            if (buf.length >= 8) buf.writeUInt32BE(i, 4);
            return buf;
          });
          const replies = await repliesTo(requests);
          const seen = new Set<number>();
          for (const reply of replies) {
            const id = reply.readUInt32BE(4);
            expect(seen.has(id)).toBe(false);
            seen.add(id);
            expect(reply.length).toBeLessThanOrEqual(requests[id]!.length);
            expect(reply[3]! & 0x80).toBe(0x80);
          }
          expect(replies.length).toBeLessThanOrEqual(requests.length);
        }),
        { numRuns: 50 },
      );
    });

    it('sends exactly one reply to each of many identical requests', async () => {
      const ping = encode({ type: MessageType.PING, requestId: 1, payload: Buffer.from('same') });
      const replies = await repliesTo(Array.from({ length: 20 }, () => ping));
      expect(replies).toHaveLength(20);
    });

    it('does not answer a source port below 1024 (runs as root to bind one)', async () => {
      const privileged = createSocket('udp4');
      let bound = false;
      // Any free privileged port will do; try a few so parallel runs do not collide.
      for (let candidate = 900 + Math.floor(Math.random() * 100); candidate < 1024 && !bound; candidate++) {
        privileged.removeAllListeners('error');
        try {
          privileged.bind(candidate, '127.0.0.1');
          await Promise.race([
            once(privileged, 'listening'),
            once(privileged, 'error').then(([e]) => Promise.reject(e as Error)),
          ]);
          bound = true;
        } catch {
          // in use: next one
        }
      }
      expect(bound).toBe(true);
      const messages: Buffer[] = [];
      privileged.on('message', (m: Buffer) => messages.push(m));
      try {
        const before = server.stats.snapshot().dropped;
        const ping = encode({ type: MessageType.PING, requestId: 7, payload: Buffer.alloc(0) });
        const health = encode(paddedHealthRequest(8));
        for (const datagram of [ping, health]) {
          await new Promise<void>((resolve, reject) =>
            privileged.send(datagram, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
          );
        }
        // Barrier from an unprivileged client: when its reply arrives, the server has handled both datagrams above.
        await repliesTo([]);
        expect(dropsSince(before)).toEqual({ privileged_source_port: 2 });
        expect(messages).toEqual([]);
      } finally {
        privileged.close();
      }
    });
  });

  describe('guards and failures', () => {
    const ping = (requestId: number): Buffer => encode({ type: MessageType.PING, requestId, payload: Buffer.alloc(0) });

    it('runs guards in order and drops under the reason the first refusing guard gives', async () => {
      const calls: string[] = [];
      const first: Guard = () => (calls.push('first'), ACCEPT);
      // Refuses request 1 as if it came from port 53; lets the barrier through.
      const second: Guard = (request, length, source) => (
        calls.push('second'),
        request.readUInt32BE(4) === 1
          ? rejectPrivilegedSourcePort(request, length, {
              port: 53,
              address: source.address,
              writeAddressWords: (out) => source.writeAddressWords(out),
            })
          : ACCEPT
      );
      const guarded = await startServer({ SOCKET_IO: socketIo }, { guards: [first, second] });
      expect(await repliesTo([ping(1)], guarded.port)).toEqual([]);
      expect(calls).toEqual(['first', 'second', 'first', 'second']);
      expect(guarded.server.stats.snapshot().dropped['privileged_source_port']).toBe(1);
    });

    it('survives a handler bug: the datagram is counted as internal_error and serving goes on', async () => {
      let calls = 0;
      const throwsOnce: Guard = () => {
        calls++;
        if (calls === 1) throw new Error('bug');
        return ACCEPT;
      };
      const fragile = await startServer({ SOCKET_IO: socketIo }, { guards: [throwsOnce] });
      expect(await repliesTo([ping(3)], fragile.port)).toEqual([]);
      expect(fragile.server.stats.snapshot().dropped['internal_error']).toBe(1);
      expect(decode(await client.request(ping(4), fragile.port))).toMatchObject({
        type: MessageType.PONG,
        requestId: 4,
      });
    });

    itIf(canForge(), 'forging a source port needs a raw socket (root)')(
      'counts a failed send by its error code instead of throwing, and serves on',
      async () => {
        // A datagram "from" port 0, with no guard to drop it: no reply can go back there. dgram refuses the port
        // itself; the kernel refuses sendmmsg to it.
        const exposed = await startServer({ SOCKET_IO: socketIo }, { guards: [] });
        await sendForged([{ from: { port: 0 }, to: { port: exposed.port }, payload: ping(3) }]);
        expect(await repliesTo([], exposed.port)).toEqual([]);
        const { sendErrors, replies } = exposed.server.stats.snapshot();
        expect(sendErrors).toEqual({ [socketIo === 'dgram' ? 'ERR_SOCKET_BAD_PORT' : 'EINVAL']: 1 });
        // Handed to the socket, then refused: counted as a reply and as a send error. +1: the barrier's.
        expect(replies['pong']).toBe(2);
      },
    );
  });
});
