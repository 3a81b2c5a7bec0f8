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

/** A PONG is the PING with its type changed: same id, payload and length. */
function writePongOver(ping: Buffer): number {
  ping[TYPE_OFFSET] = TYPE;
  return ping.length;
}
