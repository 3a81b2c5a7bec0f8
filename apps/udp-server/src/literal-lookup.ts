import { lookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * The resolver for the server's socket. dgram resolves the destination of every send, even an IP address, through
 * dns.lookup and an extra turn of the event loop. Replies go to the address a datagram came from, always an IP,
 * so answer literals at once and keep the resolver for names.
 */
export function literalAddressLookup(
  hostname: string,
  options: LookupOneOptions | number,
  callback: LookupCallback,
): void {
  const family = isIP(hostname);
  if (family !== 0) {
    callback(null, hostname, family);
    return;
  }
  lookup(hostname, typeof options === 'number' ? { family: options } : options, callback);
}
