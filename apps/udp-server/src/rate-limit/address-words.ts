/**
 * Source addresses as four 32-bit words (IPv4 as the mapped ::ffff:a.b.c.d), parsed from the text Node reports
 * for a datagram's sender without allocating: the rate limiter runs this on every datagram.
 */

/** Words of an address; IPv4 addresses sit in the last word under the ::ffff: prefix. */
export type AddressWords = Uint32Array;

export const ADDRESS_WORDS = 4;
/** An IPv4 prefix length p is the mapped address's 96 + p. */
export const IPV4_MAPPED_BITS = 96;

const groups = new Uint16Array(8);
const COLON = 58;
const DOT = 46;

/** Writes `address` into `out`; false when it is not an IPv4 or IPv6 address (`out` is then undefined). */
export function writeAddressWords(address: string, out: AddressWords): boolean {
  if (address.indexOf(':') === -1) {
    const v4 = parseIpv4(address, 0, address.length);
    if (v4 < 0) return false;
    out[0] = 0;
    out[1] = 0;
    out[2] = 0xffff;
    out[3] = v4;
    return true;
  }
  if (!parseIpv6(address)) return false;
  for (let i = 0; i < ADDRESS_WORDS; i++)
    out[i] = (((groups[2 * i] as number) << 16) | (groups[2 * i + 1] as number)) >>> 0;
  return true;
}

/** Whether the words are an IPv4 (mapped) address. */
export function isIpv4(words: AddressWords): boolean {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
}

/** The mask of word `i` of a `bits`-long prefix. */
function wordMask(bits: number, i: number): number {
  const keep = Math.min(32, Math.max(0, bits - 32 * i));
  // 0 apart: JavaScript shifts by the count mod 32, so `<< 32` would keep everything.
  return keep === 0 ? 0 : (0xffffffff << (32 - keep)) >>> 0;
}

/** `out` = the first `bits` bits of `words`, the rest zero. */
export function maskWords(words: AddressWords, bits: number, out: AddressWords): void {
  for (let i = 0; i < ADDRESS_WORDS; i++) out[i] = ((words[i] as number) & wordMask(bits, i)) >>> 0;
}

/** Whether the first `bits` bits of `words` equal those of `network` (already masked). */
export function inNetwork(words: AddressWords, network: AddressWords, bits: number): boolean {
  for (let i = 0; i < ADDRESS_WORDS; i++) {
    if (((words[i] as number) & wordMask(bits, i)) >>> 0 !== (network[i] as number)) return false;
  }
  return true;
}

/** Dotted quad in address[from, to) as an unsigned 32-bit number, or -1. */
function parseIpv4(address: string, from: number, to: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = address.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

/** Fills `groups` from an IPv6 address: `::` compression, a trailing dotted quad, a %zone (ignored). */
function parseIpv6(address: string): boolean {
  let end = address.indexOf('%');
  if (end === -1) end = address.length;
  groups.fill(0);
  let count = 0;
  let gap = -1;
  let i = 0;
  if (address.charCodeAt(0) === COLON) {
    if (address.charCodeAt(1) !== COLON) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    if (count === 8) return false;
    let value = 0;
    let digits = 0;
    const start = i;
    for (; i < end; i++) {
      const hex = hexValue(address.charCodeAt(i));
      if (hex < 0) break;
      value = value * 16 + hex;
      if (++digits > 4) return false;
    }
    if (i < end && address.charCodeAt(i) === DOT) {
      // The last 32 bits written as a dotted quad (::ffff:1.2.3.4).
      if (count > 6) return false;
      const v4 = parseIpv4(address, start, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (digits === 0) return false;
    groups[count++] = value;
    if (i === end) break;
    if (address.charCodeAt(i) !== COLON) return false;
    i++;
    if (address.charCodeAt(i) === COLON) {
      if (gap !== -1) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap === -1) return count === 8;
  if (count === 8) return false;
  // Move the groups after the gap to the end.
  const tail = count - gap;
  groups.copyWithin(8 - tail, gap, count);
  groups.fill(0, gap, 8 - tail);
  return true;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
