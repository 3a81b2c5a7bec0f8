import type { AddressWords } from './rate-limit/address-words';

/**
 * Where the datagram being handled came from. A socket keeps one of these and refills it for every datagram, so
 * nothing is allocated per datagram: read it while its datagram is handled, never later.
 */
export interface DatagramSource {
  readonly port: number;
  /** The address as text. Free on the dgram path; allocates on the batched one: for tests and logs. */
  readonly address: string;
  /** Writes the address as four words (IPv4 as ::ffff:a.b.c.d) into `out`; false when it is not an IP address. */
  writeAddressWords(out: AddressWords): boolean;
}
