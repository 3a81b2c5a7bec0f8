import { decode, type Message } from '@ricochet/protocol';

/** A probe ignores what it cannot decode and keeps waiting for a valid answer. */
export function tryDecode(datagram: Buffer): Message | undefined {
  try {
    return decode(datagram);
  } catch {
    return undefined;
  }
}
