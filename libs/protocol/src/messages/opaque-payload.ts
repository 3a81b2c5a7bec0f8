/** A body that is one opaque payload running to the end of the datagram (PING, PONG). */
export interface PayloadBody {
  /** Opaque bytes; a PONG carries its PING's back unchanged. */
  readonly payload: Uint8Array;
}

/** The body functions of a payload-only message, for `defineRequest` and `defineReply`. */
export const opaquePayload = {
  bodyLength: (body: PayloadBody): number => body.payload.length,
  writeBody: (body: PayloadBody, buf: Buffer, offset: number): number => {
    buf.set(body.payload, offset);
    return offset + body.payload.length;
  },
  // A view of the datagram, not a copy.
  readBody: (buf: Buffer, offset: number, end: number): PayloadBody => ({ payload: buf.subarray(offset, end) }),
};
