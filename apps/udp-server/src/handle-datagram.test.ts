import { HealthStatus, MESSAGES, MessageType, encode } from '@ricochet/protocol';
import type { DatagramSource } from './datagram-source';
import { DROP_REASON_NAMES } from './drop-reasons';
import { NO_REPLY, createDatagramHandler } from './handle-datagram';
import { HANDLERS, type HandlerFactory } from './handlers';
import { createRouter } from './routes';
import { ServerStats } from './server-stats';
import { defineService } from './service';

const source: DatagramSource = { address: '127.0.0.1', port: 40000, writeAddressWords: () => false };

/** The pipeline with the real routes and the given handlers; `handle` returns what it sent, if anything. */
function pipeline(handlers = HANDLERS) {
  const stats = new ServerStats();
  const handleDatagram = createDatagramHandler({
    maxDatagramBytes: 512,
    route: createRouter({
      service: defineService(MESSAGES, handlers),
      stats,
      protocolVersion: 1,
      context: { serverVersion: 'test', healthStatus: () => HealthStatus.SERVING, uptimeSeconds: () => 0 },
    }),
    guards: [],
    stats,
  });
  const handle = (request: Buffer, length = request.length): number => handleDatagram(request, length, source);
  const drops = (): Record<string, number> =>
    Object.fromEntries(DROP_REASON_NAMES.map((r, i) => [r, stats.dropped[i]!]).filter(([, n]) => n !== 0));
  return { handle, stats, drops };
}

const ping = (payload = 'abc'): Buffer =>
  encode({ type: MessageType.PING, requestId: 1, payload: Buffer.from(payload) });

describe('the datagram pipeline', () => {
  it('drops a reply a handler says is longer than its request, whatever the handler is', () => {
    const liar: HandlerFactory = () => ({ minRequestBytes: 0, writeReply: (_request, length) => length + 1 });
    const { handle, drops, stats } = pipeline({ ...HANDLERS, PING: liar });
    expect(handle(ping())).toBe(NO_REPLY);
    expect(drops()).toEqual({ reply_exceeds_request: 1 });
    expect(stats.snapshot()).toMatchObject({ received: { ping: 1 }, replies: { pong: 0 } });
  });

  it('never runs a handler on a request shorter than its minimum, and counts the drop', () => {
    const writeReply = jest.fn(() => 8);
    const { handle, drops } = pipeline({ ...HANDLERS, PING: () => ({ minRequestBytes: 12, writeReply }) });
    expect(handle(ping('abc'))).toBe(NO_REPLY); // 11 bytes
    expect(writeReply).not.toHaveBeenCalled();
    expect(drops()).toEqual({ reply_exceeds_request: 1 });
    expect(handle(ping('abcd'))).toBe(8); // 12 bytes
    expect(writeReply).toHaveBeenCalledTimes(1);
  });

  it('answers a request in another version with an ERROR through the same steps, counted as that reply', () => {
    const { handle, stats, drops } = pipeline();
    // Fresh buffers each time: the reply is written over the request.
    const v2 = (): Buffer => Buffer.from('52430201000000010000', 'hex');
    expect(handle(v2())).toBe(10);
    expect(stats.snapshot()).toMatchObject({ received: { other: 1 }, replies: { error: 1 } });
    expect(handle(v2(), 9)).toBe(NO_REPLY);
    expect(drops()).toEqual({ unsupported_version: 1 });
  });

  it("reads only the request's own bytes from a longer slot: its length decides the route, size and reply", () => {
    const { handle, drops } = pipeline();
    const slot = Buffer.alloc(600, 0xab);
    ping('abc').copy(slot);
    expect(handle(slot, 11)).toBe(11);
    expect(slot.subarray(0, 4)).toEqual(Buffer.from('52430181', 'hex'));
    expect(handle(slot, 7)).toBe(NO_REPLY);
    expect(handle(slot, 513)).toBe(NO_REPLY);
    expect(drops()).toEqual({ too_short: 1, oversize: 1 });
  });
});
