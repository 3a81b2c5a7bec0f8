import { encode } from './message';
import { MessageType } from './message-types';
import { RequestCheck, checkRequest } from './request-check';

const hex = (text: string): Buffer => Buffer.from(text.replaceAll(' ', ''), 'hex');

describe('checkRequest', () => {
  it.each([
    ['a PING', encode({ type: MessageType.PING, requestId: 1, payload: Buffer.from('x') }), RequestCheck.OK],
    ['a HEALTH', encode({ type: MessageType.HEALTH, requestId: 1, paddingBytes: 0 }), RequestCheck.OK],
    ['7 bytes', hex('52 43 01 01 00 00 00'), RequestCheck.TOO_SHORT],
    ['an empty datagram', Buffer.alloc(0), RequestCheck.TOO_SHORT],
    ['a wrong magic', hex('58 58 01 01 00 00 00 01'), RequestCheck.BAD_MAGIC],
    ['version 2', hex('52 43 02 01 00 00 00 01'), RequestCheck.UNSUPPORTED_VERSION],
    ['a PONG', hex('52 43 01 81 00 00 00 01'), RequestCheck.REPLY_TYPE],
    ['a HEALTH_STATUS', hex('52 43 01 82 00 00 00 01'), RequestCheck.REPLY_TYPE],
    ['an ERROR', hex('52 43 01 ff 00 00 00 01'), RequestCheck.REPLY_TYPE],
    ['an unknown reply type 0x90', hex('52 43 01 90 00 00 00 01'), RequestCheck.REPLY_TYPE],
    ['an unknown request type 0x03', hex('52 43 01 03 00 00 00 01'), RequestCheck.UNKNOWN_TYPE],
    ['type 0x00', hex('52 43 01 00 00 00 00 01'), RequestCheck.UNKNOWN_TYPE],
    // The reply bit wins over the version: a "v2 ERROR" answered with a v1 ERROR was a loop between versions.
    ['a v2 ERROR', hex('52 43 02 ff 00 00 00 01 01 02'), RequestCheck.REPLY_TYPE],
    ['a v0 PONG', hex('52 43 00 81 00 00 00 01'), RequestCheck.REPLY_TYPE],
    ['an unknown reply type in version 255', hex('52 43 ff 80 00 00 00 01'), RequestCheck.REPLY_TYPE],
  ])('classifies %s', (_case, bytes, expected) => {
    expect(checkRequest(bytes)).toBe(expected);
  });

  it('never calls a datagram with the reply bit anything but a reply, in any version', () => {
    for (let version = 0; version <= 0xff; version++) {
      for (let type = 0x80; type <= 0xff; type++) {
        expect(checkRequest(Buffer.from([0x52, 0x43, version, type, 0, 0, 0, 1]), 1)).toBe(RequestCheck.REPLY_TYPE);
        expect(checkRequest(Buffer.from([0x52, 0x43, version, type, 0, 0, 0, 1]), 2)).toBe(RequestCheck.REPLY_TYPE);
      }
    }
  });

  it('judges the version against the one the server speaks', () => {
    expect(checkRequest(hex('52 43 02 01 00 00 00 01'), 2)).toBe(RequestCheck.OK);
    expect(checkRequest(hex('52 43 01 01 00 00 00 01'), 2)).toBe(RequestCheck.UNSUPPORTED_VERSION);
  });
});
