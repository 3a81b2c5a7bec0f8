import { encode } from './message';
import { MessageType } from './message-types';
import { MESSAGES } from './messages/table';
import { createRequestRouter, type DatagramRoutes } from './request-router';

const hex = (text: string): Buffer => Buffer.from(text.replaceAll(' ', ''), 'hex');

// Routes named after what they are, so a test reads which route a datagram took.
const routes: DatagramRoutes<string> = {
  tooShort: 'TOO_SHORT',
  badMagic: 'BAD_MAGIC',
  replyType: 'REPLY_TYPE',
  otherVersion: 'UNSUPPORTED_VERSION',
  unknownType: 'UNKNOWN_TYPE',
  request: (codec) => codec.name,
};
const routeV1 = createRequestRouter({ table: MESSAGES, routes });
const routeV2 = createRequestRouter({ table: MESSAGES, routes, version: 2 });

describe('the request router', () => {
  it.each([
    ['a PING', encode({ type: MessageType.PING, requestId: 1, payload: Buffer.from('x') }), 'PING'],
    ['a HEALTH', encode({ type: MessageType.HEALTH, requestId: 1, paddingBytes: 0 }), 'HEALTH'],
    ['7 bytes', hex('52 43 01 01 00 00 00'), 'TOO_SHORT'],
    ['an empty datagram', Buffer.alloc(0), 'TOO_SHORT'],
    ['a wrong magic', hex('58 58 01 01 00 00 00 01'), 'BAD_MAGIC'],
    ['version 2', hex('52 43 02 01 00 00 00 01'), 'UNSUPPORTED_VERSION'],
    ['a PONG', hex('52 43 01 81 00 00 00 01'), 'REPLY_TYPE'],
    ['a HEALTH_STATUS', hex('52 43 01 82 00 00 00 01'), 'REPLY_TYPE'],
    ['an ERROR', hex('52 43 01 ff 00 00 00 01'), 'REPLY_TYPE'],
    ['an unknown reply type 0x90', hex('52 43 01 90 00 00 00 01'), 'REPLY_TYPE'],
    ['an unknown request type 0x03', hex('52 43 01 03 00 00 00 01'), 'UNKNOWN_TYPE'],
    ['type 0x00', hex('52 43 01 00 00 00 00 01'), 'UNKNOWN_TYPE'],
    // The reply bit wins over the version: a "v2 ERROR" answered with a v1 ERROR was a loop between versions.
    ['a v2 ERROR', hex('52 43 02 ff 00 00 00 01 01 02'), 'REPLY_TYPE'],
    ['a v0 PONG', hex('52 43 00 81 00 00 00 01'), 'REPLY_TYPE'],
    ['an unknown reply type in version 255', hex('52 43 ff 80 00 00 00 01'), 'REPLY_TYPE'],
  ])('routes %s', (_case, bytes, expected) => {
    expect(routeV1(bytes)).toBe(expected);
  });

  it('never routes a datagram with the reply bit anywhere but to replyType, in any version', () => {
    for (let version = 0; version <= 0xff; version++) {
      for (let type = 0x80; type <= 0xff; type++) {
        expect(routeV1(Buffer.from([0x52, 0x43, version, type, 0, 0, 0, 1]))).toBe('REPLY_TYPE');
        expect(routeV2(Buffer.from([0x52, 0x43, version, type, 0, 0, 0, 1]))).toBe('REPLY_TYPE');
      }
    }
  });

  it('routes on the length given when the datagram sits in a longer slot', () => {
    const slot = Buffer.alloc(64);
    hex('52 43 01 01 00 00 00 01').copy(slot);
    expect(routeV1(slot, 8)).toBe('PING');
    expect(routeV1(slot, 7)).toBe('TOO_SHORT');
  });

  it('judges the version against the one the server speaks', () => {
    expect(routeV2(hex('52 43 02 01 00 00 00 01'))).toBe('PING');
    expect(routeV2(hex('52 43 01 01 00 00 00 01'))).toBe('UNSUPPORTED_VERSION');
  });

  it('builds each request route once, at start-up, and returns that same value for every datagram', () => {
    const built: { name: string }[] = [];
    const drop = { name: 'drop' };
    const route = createRequestRouter({
      table: MESSAGES,
      routes: {
        tooShort: drop,
        badMagic: drop,
        replyType: drop,
        otherVersion: drop,
        unknownType: drop,
        request: (codec) => {
          built.push({ name: codec.name });
          return built.at(-1)!;
        },
      },
    });
    const ping = hex('52 43 01 01 00 00 00 01');
    expect(built).toEqual([{ name: 'PING' }, { name: 'HEALTH' }]);
    expect(route(ping)).toBe(built[0]);
    expect(route(Buffer.from(ping))).toBe(built[0]);
  });
});
