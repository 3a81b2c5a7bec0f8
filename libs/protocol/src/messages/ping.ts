import { defineRequest } from '../message-codec';
import { opaquePayload } from './opaque-payload';
import { pong } from './pong';

/** PING 0x01: any payload, answered by a PONG carrying it back. */
export const ping = defineRequest({
  type: 0x01,
  name: 'PING',
  reply: pong,
  body: 'opaque payload, any length',
  ...opaquePayload,
});
