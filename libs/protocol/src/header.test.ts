import { HEADER_BYTES } from './constants';
import * as header from './header';

describe('header', () => {
  it('writes magic, version, type and request id big-endian and returns the next offset', () => {
    const buf = Buffer.alloc(HEADER_BYTES + 2);
    expect(header.writeHeader({ type: 0x02, requestId: 0x01020304 }, buf, 2)).toBe(10);
    expect(buf.toString('hex')).toBe('00005243010201020304');
  });

  it('decodes what it writes, whatever the type byte (which types exist is for the message table)', () => {
    const value = { type: 0x7e, requestId: 0xffffffff };
    const buf = Buffer.alloc(HEADER_BYTES);
    header.writeHeader(value, buf);
    expect(header.decode(buf)).toEqual(value);
  });
});
