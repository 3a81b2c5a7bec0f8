import { TYPE_OFFSET } from '../constants';
import { defineReply } from '../message-codec';
import { opaquePayload } from './opaque-payload';

/** PONG 0x81: the answer to a PING, exactly as long as it. */
export const pong = defineReply({
  type: 0x81,
  name: 'PONG',
  body: "the PING's payload, unchanged: a PONG is exactly as long as its PING",
  ...opaquePayload,
});

/**
 * In place, for a server's per-datagram path: a PONG is the PING with its type changed (same id, payload and
 * length), so answering allocates nothing. Returns the reply's length.
 */
export function writePongOver(ping: Buffer): number {
  ping[TYPE_OFFSET] = pong.type;
  return ping.length;
}
