import { isIPv6 } from 'node:net';
import { inNetwork, maskWords, writeAddressWords } from './address-words';

function words(address: string): number[] | undefined {
  const out = new Uint32Array(4);
  return writeAddressWords(address, out) ? [...out] : undefined;
}

describe('writeAddressWords', () => {
  it.each([
    ['1.2.3.4', [0, 0, 0xffff, 0x01020304]],
    ['255.255.255.255', [0, 0, 0xffff, 0xffffffff]],
    ['::', [0, 0, 0, 0]],
    ['::1', [0, 0, 0, 1]],
    ['1::', [0x00010000, 0, 0, 0]],
    ['2001:db8::8a2e:370:7334', [0x20010db8, 0, 0x8a2e, 0x03707334]],
    ['2001:DB8:0:0:1:2:3:4', [0x20010db8, 0, 0x00010002, 0x00030004]],
    ['::ffff:10.0.0.1', [0, 0, 0xffff, 0x0a000001]],
    ['fe80::1%eth0', [0xfe800000, 0, 0, 1]],
  ])('parses %s', (address, expected) => {
    expect(words(address)).toEqual(expected);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1..2.3',
    'a.b.c.d',
    ':1',
    '1:::2',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7:8:9',
    '1:2',
    'g::1',
  ])('refuses %j', (address) => {
    expect(words(address)).toBeUndefined();
  });

  it('agrees with Node on 10 000 random IPv6 addresses in their shortest form', () => {
    for (let n = 0; n < 10_000; n++) {
      const groups = Array.from({ length: 8 }, () => (Math.random() < 0.3 ? 0 : Math.floor(Math.random() * 0x10000)));
      const full = groups.map((g) => g.toString(16)).join(':');
      // URL normalises to the RFC 5952 form with :: for the longest run of zeros, as Node reports addresses.
      const short = new URL(`http://[${full}]/`).hostname.slice(1, -1);
      expect(isIPv6(short)).toBe(true);
      const expected = [0, 1, 2, 3].map((i) => ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0);
      expect(words(short)).toEqual(expected);
    }
  });
});

describe('maskWords and inNetwork', () => {
  it('keep the first bits of an IPv4 /24 and an IPv6 /56', () => {
    const out = new Uint32Array(4);
    maskWords(Uint32Array.from(words('10.1.2.3')!), 96 + 24, out);
    expect([...out]).toEqual(words('10.1.2.0'));
    maskWords(Uint32Array.from(words('2001:db8:aabb:ccdd::1')!), 56, out);
    expect([...out]).toEqual(words('2001:db8:aabb:cc00::'));
  });

  it('match an address against a network', () => {
    const loopback = Uint32Array.from(words('127.0.0.0')!);
    expect(inNetwork(Uint32Array.from(words('127.9.8.7')!), loopback, 96 + 8)).toBe(true);
    expect(inNetwork(Uint32Array.from(words('128.0.0.1')!), loopback, 96 + 8)).toBe(false);
    expect(inNetwork(Uint32Array.from(words('::1')!), Uint32Array.from(words('::1')!), 128)).toBe(true);
    expect(inNetwork(Uint32Array.from(words('::2')!), Uint32Array.from(words('::1')!), 128)).toBe(false);
  });
});
