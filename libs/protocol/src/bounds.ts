import { protocolError } from '@ricochet/errors';

/** Throws UDP_ERR_TRUNCATED unless `needed` bytes can be read at `offset` before `end`. */
export function ensureReadable(field: string, offset: number, needed: number, end: number): void {
  if (end - offset < needed) throw protocolError('UDP_ERR_TRUNCATED', field, offset, needed, Math.max(0, end - offset));
}

/** Throws UDP_ERR_BUFFER_TOO_SMALL unless `needed` bytes can be written at `offset`. */
export function ensureCapacity(buf: Buffer, offset: number, needed: number): void {
  if (!Number.isInteger(offset) || offset < 0 || buf.length - offset < needed) {
    throw protocolError('UDP_ERR_BUFFER_TOO_SMALL', needed, offset, buf.length);
  }
}

/** Throws UDP_ERR_TRAILING_BYTES unless a `type` body that ends at `at` ends the datagram too. */
export function ensureNoTrailingBytes(type: string, at: number, end: number): void {
  if (end > at) throw protocolError('UDP_ERR_TRAILING_BYTES', type, at, end - at);
}
