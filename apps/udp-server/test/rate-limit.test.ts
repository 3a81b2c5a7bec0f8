import { MessageType, encode } from '@ricochet/protocol';
import { UdpClient, barrier, canForge, describeIf, forge } from '@ricochet/testing';
import { SOCKET_IO_PATHS, startServer } from './helpers';

// The reply limits against forged sources (raw sockets, loopback only). Every victim address is in 127.0.0.0/8
// and so local: a socket bound there counts what the server sent "back" to it. 127.0.0.1, where the test client
// sends its barrier PINGs from, is the only exempt address.

const PING = encode({ type: MessageType.PING, requestId: 7, payload: Buffer.alloc(8) });

interface Victim {
  readonly client: UdpClient;
  readonly port: number;
  received(): number;
  /** Seconds from the first datagram received to the last. */
  windowSeconds(): number;
}

/** A socket bound at `address` (any local address when 0.0.0.0) that counts the datagrams it receives. */
async function victim(address: string): Promise<Victim> {
  const client = await UdpClient.open({ host: address });
  let received = 0;
  let first = 0;
  let last = 0;
  client.socket.on('message', () => {
    last = performance.now();
    if (received++ === 0) first = last;
  });
  return { client, port: client.port, received: () => received, windowSeconds: () => (last - first) / 1000 };
}

/**
 * From the first reply to the last, a bucket allows its burst plus `rate` per second: at most that, +5 %. At least
 * 80 % of it: a flood denser than the rate spends every token as it appears; the burst (a fifth of a second's
 * worth) keeps what a busy machine's stalls of the sender or the server would otherwise waste.
 */
function expectHeldToRate(target: Victim, rate: number, burst: number): void {
  const allowed = burst + rate * target.windowSeconds();
  expect(target.received()).toBeGreaterThanOrEqual(Math.floor(allowed * 0.8));
  expect(target.received()).toBeLessThanOrEqual(Math.ceil(allowed * 1.05));
}

/**
 * Waits until the server has handled everything forged so far (PINGs from the exempt client, resent until one is
 * answered: the first may meet a receive buffer the flood still fills). Resolves with how many it answered.
 */
async function settle(client: UdpClient, port: number): Promise<number> {
  return (await barrier(client, port, { resendMs: 50 })).pingsAnswered;
}

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  describeIf(canForge(), 'forging source addresses needs a raw socket (root)')('the reply limits', () => {
    let client: UdpClient;

    beforeAll(async () => {
      client = await UdpClient.open();
    });

    const serve = (env: Record<string, string>) =>
      startServer({ RATE_LIMIT_EXEMPT: '127.0.0.1/32', SOCKET_IO: socketIo, ...env });

    it('hold one forged victim to its rate (±5 %), however much is sent in its name', async () => {
      const rate = 200;
      const { server, port } = await serve({
        RATE_LIMIT_SOURCE_RATE: String(rate),
        RATE_LIMIT_SOURCE_BURST: String(rate / 5),
        RATE_LIMIT_PREFIX_RATE: '0',
      });
      const target = await victim('127.0.0.50');
      const offered = await forge([
        { from: { address: '127.0.0.50', port: target.port }, to: { port }, payload: PING, count: 300_000 },
      ]);
      const settled = await settle(client, port);
      const handled = server.stats.snapshot();
      console.log(
        `one victim: ${JSON.stringify({ offered, handled: handled.received['ping'], answered: target.received(), windowSeconds: target.windowSeconds() })}`,
      );
      expect(offered.sent / offered.seconds).toBeGreaterThan(20 * rate); // far more than its rate, offered
      expect(target.windowSeconds()).toBeGreaterThan(0.5);
      expectHeldToRate(target, rate, rate / 5);
      // Every PING that reached the server was answered or counted as rate_limited, nothing else.
      expect(handled.dropped['rate_limited']).toBe((handled.received['ping'] as number) - settled - target.received());
    }, 60_000);

    it('hold a /24 of forged victims to the prefix rate (±5 %) together, each under its own rate', async () => {
      const rate = 300;
      const { server, port } = await serve({
        RATE_LIMIT_SOURCE_RATE: '100000',
        RATE_LIMIT_SOURCE_BURST: '100000',
        RATE_LIMIT_PREFIX_RATE: String(rate),
        RATE_LIMIT_PREFIX_BURST: String(rate / 5),
      });
      const targets = await victim('0.0.0.0');
      // 200 victims 127.0.9.1-200, over and over: 2000 rounds (about a second of forging here, whatever the CPU).
      const rounds = Array.from({ length: 2000 }, () => ({
        from: { address: '127.0.9.1', port: targets.port },
        to: { port },
        payload: PING,
        count: 200,
        step: 1,
      }));
      await forge(rounds);
      await settle(client, port);
      console.log(
        `one /24: ${JSON.stringify({ handled: server.stats.snapshot().received['ping'], answered: targets.received(), windowSeconds: targets.windowSeconds() })}`,
      );
      expect(targets.windowSeconds()).toBeGreaterThan(0.5);
      expectHeldToRate(targets, rate, rate / 5);
      expect(server.rateLimiter?.sources?.size).toBe(200); // the barrier client is exempt
    }, 60_000);

    it('answer every PING of honest clients below their rate while another address is flooded', async () => {
      const { server, port } = await serve({
        RATE_LIMIT_SOURCE_RATE: '100',
        RATE_LIMIT_SOURCE_BURST: '200',
        RATE_LIMIT_PREFIX_RATE: '0',
      });
      const honest = await Promise.all(['127.0.0.60', '127.0.0.61', '127.0.0.62', '127.0.0.63'].map(victim));
      const flooded = await victim('127.0.0.64');
      const started = performance.now();
      const flood = forge([
        { from: { address: '127.0.0.64', port: flooded.port }, to: { port }, payload: PING, count: 50_000 },
      ]);
      // 150 PINGs each, at once: within their burst of 200.
      for (const h of honest) for (let i = 0; i < 150; i++) h.client.socket.send(PING, port, '127.0.0.1');
      await flood;
      const settled = await settle(client, port);
      const seconds = (performance.now() - started) / 1000;
      expect(honest.map((h) => h.received())).toEqual([150, 150, 150, 150]);
      // How much of the flood the server read depends on the machine (the kernel drops the rest); what it read
      // from the flooded address is answered up to its burst and rate, and every other one is counted as limited.
      const { received, dropped } = server.stats.snapshot();
      const floodRead = (received['ping'] as number) - 4 * 150 - settled;
      expect(flooded.received()).toBeLessThanOrEqual(200 + Math.ceil(100 * seconds));
      expect(dropped['rate_limited']).toBe(floodRead - flooded.received());
      expect(dropped['rate_limited']).toBeGreaterThan(10_000);
    }, 60_000);

    it('keep the table at its size through a million distinct forged sources', async () => {
      const tableSize = 4096;
      const { server, port } = await serve({
        RATE_LIMIT_TABLE_SIZE: String(tableSize),
        RATE_LIMIT_PREFIX_RATE: '1000000',
      });
      const rssBefore = process.memoryUsage().rss;
      // 127.1.0.0 onwards, one datagram each: 1 000 000 sources in 3 907 /24 prefixes.
      await forge([
        { from: { address: '127.1.0.0', port: 40_000 }, to: { port }, payload: PING, count: 1_000_000, step: 1 },
      ]);
      const settled = await settle(client, port);
      const rssGrowth = process.memoryUsage().rss - rssBefore;
      const handled = server.stats.snapshot().received['ping'] as number;
      const limiter = server.rateLimiter!;
      console.log(
        `a million sources: ${JSON.stringify({ handled, sources: limiter.sources?.size, evictions: limiter.sources?.evictions, prefixes: limiter.prefixes?.size, rssGrowthMiB: Math.round(rssGrowth / 1048576) })}`,
      );
      // The kernel drops what the server cannot keep up with; what it read must still be many times the table.
      expect(handled).toBeGreaterThan(50_000);
      expect(limiter.sources?.size).toBe(tableSize);
      // Each handled PING but the client's came from a new address: every one past the table's size evicted one.
      expect(limiter.sources?.evictions).toBe(handled - settled - tableSize);
      expect(rssGrowth).toBeLessThan(48 * 1024 * 1024);
    }, 180_000);
  });
});
