import { PROTOCOL_VERSION } from '@ricochet/protocol';
import { UdpClient, barrier, canForge, describeIf, sendForged, type ForgedDatagram } from '@ricochet/testing';
import { SOCKET_IO_PATHS, startServer } from './helpers';
import type { UdpServer } from '../src/server';

// Two servers built from this code but speaking different versions (v1, and a v2 made with the protocolVersion
// option), each sent forged datagrams "from" the other, of every type in several versions. Before the reply bit
// was judged ahead of the version, one forged "v2 ERROR" made them answer each other's ERRORs forever.

const VERSIONS = [0x00, 0x01, 0x02, 0x03, 0x7f, 0xff];

function totals(server: UdpServer): { received: number; replies: number } {
  const { received, replies } = server.stats.snapshot();
  const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
  return { received: sum(received), replies: sum(replies) };
}

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  describeIf(canForge(), 'forging source addresses needs a raw socket (root)')('servers of two versions', () => {
    let v1: Awaited<ReturnType<typeof startServer>>;
    let v2: Awaited<ReturnType<typeof startServer>>;
    let client: UdpClient;

    beforeAll(async () => {
      v1 = await startServer({ SOCKET_IO: socketIo });
      v2 = await startServer({ SOCKET_IO: socketIo }, { protocolVersion: PROTOCOL_VERSION + 1 });
      client = await UdpClient.open();
    });

    it('exchange at most one datagram per forged datagram, whatever its version and type, and then fall silent', async () => {
      const forged: ForgedDatagram[] = [];
      for (const version of VERSIONS) {
        for (let type = 0; type <= 0xff; type++) {
          // 10 bytes: long enough for an ERROR reply, so nothing is dropped for size alone.
          const payload = Buffer.from([0x52, 0x43, version, type, 0, 0, 0, type, 0x01, version]);
          forged.push({ from: { port: v1.port }, to: { port: v2.port }, payload });
          forged.push({ from: { port: v2.port }, to: { port: v1.port }, payload });
        }
      }
      expect(await sendForged(forged)).toBe(forged.length);

      // A PING through each server after the flood: replies to the forged datagrams, and any answer to those
      // replies, were handled before it (one socket, arrival order). Twice, to see whether anything still moves.
      let barrierId = 0x7f00_0000;
      const settle = async (): Promise<{ received: number; replies: number }> => {
        for (const [server, version] of [
          [v1, PROTOCOL_VERSION],
          [v2, PROTOCOL_VERSION + 1],
        ] as const) {
          const id = barrierId++;
          const ping = Buffer.from([0x52, 0x43, version, 0x01, 0, 0, 0, 0]);
          ping.writeUInt32BE(id, 4);
          const pong = await client.request(ping, server.port);
          expect([pong[2], pong[3], pong.readUInt32BE(4)]).toEqual([version, 0x81, id]);
        }
        const [a, b] = [totals(v1.server), totals(v2.server)];
        return { received: a.received + b.received, replies: a.replies + b.replies };
      };
      const first = await settle();
      const second = await settle();

      // Between the servers, only replies to forged requests: at most one per forged datagram.
      const barrierDatagrams = 2; // each barrier round sends one PING to each server, and each is answered once
      expect(first.replies - barrierDatagrams).toBeLessThanOrEqual(forged.length);
      // Nothing answered anything in between the two barriers but the barrier PINGs themselves: no loop.
      expect(second.received - first.received).toBe(barrierDatagrams);
      expect(second.replies - first.replies).toBe(barrierDatagrams);
    }, 60_000);

    it('answers a v2 ERROR (52 43 02 ff …) with nothing', async () => {
      const before = totals(v1.server).replies;
      const { replies } = await barrier(client, v1.port, { before: [Buffer.from('524302ff000000010102', 'hex')] });
      expect(replies).toEqual([]);
      expect(totals(v1.server).replies - before).toBe(1); // the barrier's PONG only
    });
  });
});
