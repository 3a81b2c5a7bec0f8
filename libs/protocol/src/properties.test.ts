import fc from 'fast-check';
import { ProtocolError } from '@ricochet/errors';
import { HealthStatus } from './health-status-codes';
import { decode, encode } from './message';
import { MessageType, type Message } from './message-types';
import { MAX_SERVER_VERSION_BYTES } from './messages/health-status';
import { MESSAGES } from './messages/table';
import { createRequestRouter } from './request-router';
import { WireErrorCode } from './wire-errors';

const requestId = fc.integer({ min: 0, max: 0xffff_ffff });
const payload = fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes));
// Versions are limited by bytes, not characters: keep strings whose UTF-8 fits.
const serverVersion = fc
  .string({ unit: 'grapheme', maxLength: 32 })
  .filter((s) => Buffer.byteLength(s) <= MAX_SERVER_VERSION_BYTES);

const message: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ type: fc.constant(MessageType.PING), requestId, payload }),
  fc.record({ type: fc.constant(MessageType.PONG), requestId, payload }),
  fc.record({ type: fc.constant(MessageType.HEALTH), requestId, paddingBytes: fc.integer({ min: 0, max: 256 }) }),
  fc.record({
    type: fc.constant(MessageType.HEALTH_STATUS),
    requestId,
    status: fc.constantFrom(HealthStatus.SERVING, HealthStatus.NOT_SERVING, HealthStatus.DRAINING),
    uptimeSeconds: fc.integer({ min: 0, max: 0xffff_ffff }),
    serverVersion,
  }),
  fc.record({
    type: fc.constant(MessageType.ERROR),
    requestId,
    errorCode: fc.constant(WireErrorCode.UNSUPPORTED_VERSION),
    supportedVersion: fc.integer({ min: 0, max: 255 }),
  }),
);

function normalise(value: Message): unknown {
  return 'payload' in value ? { ...value, payload: Buffer.from(value.payload) } : value;
}

// Bytes that start like a datagram, so the fuzzing reaches the body decoders and not only the magic check.
const datagramLike = fc
  .tuple(fc.constantFrom(0x01, 0x02, 0x81, 0x82, 0xff, 0x03, 0x90), fc.uint8Array({ maxLength: 64 }))
  .map(([type, rest]) => Buffer.concat([Buffer.from([0x52, 0x43, 0x01, type]), Buffer.from(rest)]));
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 128 }).map((b) => Buffer.from(b)),
  datagramLike,
);

describe('codec properties', () => {
  it('round-trips every valid message', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(normalise(decode(encode(m)))).toEqual(normalise(m));
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes arbitrary bytes to a message or throws a coded ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        try {
          const decoded = decode(bytes);
          // Whatever decodes must re-encode to the very same bytes: the format has one spelling per message,
          // apart from HEALTH padding, whose content is ignored.
          if (decoded.type !== MessageType.HEALTH) expect(encode(decoded)).toEqual(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
          expect((err as ProtocolError).code).toMatch(/^UDP_ERR_/);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with decode on which datagrams a server may answer', () => {
    const route = createRequestRouter({
      table: MESSAGES,
      routes: {
        tooShort: 'drop',
        badMagic: 'drop',
        replyType: 'drop',
        otherVersion: 'drop',
        unknownType: 'drop',
        request: () => 'answer',
      },
    });
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const ok = route(bytes) === 'answer';
        let decodedRequest = false;
        try {
          const decoded = decode(bytes);
          decodedRequest = MESSAGES.codecOf(decoded.type)?.kind === 'request';
        } catch {
          decodedRequest = false;
        }
        expect(ok).toBe(decodedRequest);
      }),
      { numRuns: 5000 },
    );
  });
});
