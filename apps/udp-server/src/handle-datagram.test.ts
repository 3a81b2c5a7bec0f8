import type { RemoteInfo } from 'node:dgram';
import { HealthStatus, MESSAGES, MessageType, encode } from '@ricochet/protocol';
import { DROP_REASON_NAMES } from './drop-reasons';
import { createDatagramHandler } from './handle-datagram';
import { HANDLERS, type HandlerFactory } from './handlers';
import { createRouter } from './routes';
import { ServerStats } from './server-stats';
import { defineService } from './service';

const remote: RemoteInfo = { address: '127.0.0.1', family: 'IPv4', port: 40000, size: 0 };

/** The pipeline with the real routes, a recording `send`, and the given handlers. */
function pipeline(handlers = HANDLERS) {
  const stats = new ServerStats();
  const sent: { reply: string; length: number }[] = [];
  const handle = createDatagramHandler({
    maxDatagramBytes: 512,
    route: createRouter({
      service: defineService(MESSAGES, handlers),
      stats,
      protocolVersion: 1,
      context: { serverVersion: 'test', healthStatus: () => HealthStatus.SERVING, uptimeSeconds: () => 0 },
    }),
    guards: [],
    stats,
    send: (_reply, length, _remote, replyKind) => sent.push({ reply: stats.replyKinds[replyKind]!, length }),
  });
  const drops = (): Record<string, number> =>
    Object.fromEntries(DROP_REASON_NAMES.map((r, i) => [r, stats.dropped[i]!]).filter(([, n]) => n !== 0));
  return { handle, stats, sent, drops };
}

const ping = (payload = 'abc'): Buffer =>
  encode({ type: MessageType.PING, requestId: 1, payload: Buffer.from(payload) });

describe('the datagram pipeline', () => {
  it('drops a reply a handler says is longer than its request, whatever the handler is', () => {
    const liar: HandlerFactory = () => ({ minRequestBytes: 0, writeReply: (request) => request.length + 1 });
    const { handle, sent, drops, stats } = pipeline({ ...HANDLERS, PING: liar });
    handle(ping(), remote);
    expect(sent).toEqual([]);
    expect(drops()).toEqual({ reply_exceeds_request: 1 });
    expect(stats.snapshot().received).toMatchObject({ ping: 1 });
  });

  it('never runs a handler on a request shorter than its minimum, and counts the drop', () => {
    const writeReply = jest.fn(() => 0);
    const { handle, sent, drops } = pipeline({ ...HANDLERS, PING: () => ({ minRequestBytes: 12, writeReply }) });
    handle(ping('abc'), remote); // 11 bytes
    expect(writeReply).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
    expect(drops()).toEqual({ reply_exceeds_request: 1 });
    handle(ping('abcd'), remote); // 12 bytes
    expect(writeReply).toHaveBeenCalledTimes(1);
  });

  it('answers a request in another version with an ERROR through the same steps, counted as that reply', () => {
    const { handle, sent, stats, drops } = pipeline();
    // Fresh buffers each time: the reply is written over the request.
    const v2 = (): Buffer => Buffer.from('52430201000000010000', 'hex');
    handle(v2(), remote);
    expect(sent).toEqual([{ reply: 'error', length: 10 }]);
    expect(stats.snapshot().received).toMatchObject({ other: 1 });
    handle(v2().subarray(0, 9), remote);
    expect(drops()).toEqual({ unsupported_version: 1 });
  });
});
