import { TYPE_OFFSET } from '../constants';
import { defineReply } from '../message-codec';
import { opaquePayload } from './opaque-payload';

const TYPE = 0x81;

/** PONG 0x81: the answer to a PING, exactly as long as it. */
export const pong = defineReply(
  {
    type: TYPE,
    name: 'PONG',
    body: "the PING's payload, unchanged: a PONG is exactly as long as its PING",
    ...opaquePayload,
  },
  { writeOver: writePongOver },
);

/**
 * A PONG is the PING with its type changed: same id, payload and length. `length` is the PING's when `ping` holds
 * more bytes than the datagram (a slot of batched I/O).
 */
function writePongOver(ping: Buffer, length: number = ping.length): number {
  ping[TYPE_OFFSET] = TYPE;
  return length;
}
