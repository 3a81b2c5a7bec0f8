import { HEADER_BYTES } from './constants';
import * as header from './header';
import { MessageType } from './message-types';

describe('header', () => {
  it('writes magic, version, type and request id big-endian and returns the next offset', () => {
    const buf = Buffer.alloc(HEADER_BYTES + 2);
    expect(header.writeHeader({ type: MessageType.HEALTH, requestId: 0x01020304 }, buf, 2)).toBe(10);
    expect(buf.toString('hex')).toBe('00005243010201020304');
  });

  it('encodes into a fresh buffer of encodingLength bytes by default', () => {
    expect(header.encode({ type: MessageType.PING, requestId: 1 })).toHaveLength(header.encodingLength());
  });

  it('decodes what it encodes', () => {
    const value = { type: MessageType.PONG, requestId: 0xffffffff };
    expect(header.decode(header.encode(value))).toEqual(value);
  });

  it('reads the request id of a datagram in any version', () => {
    expect(header.readRequestId(Buffer.from('524309010000abcd', 'hex'))).toBe(0xabcd);
  });
});
