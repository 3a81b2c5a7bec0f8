import { readmeVectors } from '../test/readme-vectors';
import { ProtocolError } from '@ricochet/errors';
import { HealthStatus } from './health-status-codes';
import { decode, encode, encodingLength, write } from './message';
import { MessageType, type Message } from './message-types';
import { paddedHealthRequest, PADDED_HEALTH_REQUEST_BYTES } from './messages/health';
import { WireErrorCode } from './wire-errors';

const examples: Record<string, Message> = {
  'ping-empty': { type: MessageType.PING, requestId: 1, payload: Buffer.alloc(0) },
  'ping-hi': { type: MessageType.PING, requestId: 42, payload: Buffer.from('hi') },
  'pong-hi': { type: MessageType.PONG, requestId: 42, payload: Buffer.from('hi') },
  'health-padded': { type: MessageType.HEALTH, requestId: 0xdeadbeef, paddingBytes: 38 },
  'health-status-serving': {
    type: MessageType.HEALTH_STATUS,
    requestId: 0xdeadbeef,
    status: HealthStatus.SERVING,
    uptimeSeconds: 3600,
    serverVersion: '0.1.0',
  },
  'health-status-draining': {
    type: MessageType.HEALTH_STATUS,
    requestId: 7,
    status: HealthStatus.DRAINING,
    uptimeSeconds: 0,
    serverVersion: '',
  },
  'error-unsupported-version': {
    type: MessageType.ERROR,
    requestId: 9,
    errorCode: WireErrorCode.UNSUPPORTED_VERSION,
    supportedVersion: 1,
  },
};

const vectors = readmeVectors();

/** decode() returns subarrays for payloads; compare them as plain bytes. */
function normalise(message: Message): unknown {
  return 'payload' in message ? { ...message, payload: Buffer.from(message.payload) } : message;
}

describe('the README test vectors', () => {
  it('lists exactly the examples this test knows', () => {
    expect(vectors.valid.map((v) => v.name).sort()).toEqual(Object.keys(examples).sort());
  });

  it.each(vectors.valid)('$name decodes to its message and encodes back to the same bytes', ({ name, bytes }) => {
    const message = examples[name]!;
    expect(normalise(decode(bytes))).toEqual(normalise(message));
    expect(encode(message)).toEqual(bytes);
  });

  it('has an invalid vector for every decoding error', () => {
    expect(new Set(vectors.invalid.map((v) => v.name))).toEqual(
      new Set([
        'UDP_ERR_TRUNCATED',
        'UDP_ERR_BAD_MAGIC',
        'UDP_ERR_UNSUPPORTED_VERSION',
        'UDP_ERR_UNKNOWN_TYPE',
        'UDP_ERR_TRAILING_BYTES',
        'UDP_ERR_BAD_FIELD',
      ]),
    );
  });

  it.each(vectors.invalid)('invalid vector throws $name', ({ name, bytes }) => {
    expect.assertions(2);
    try {
      decode(bytes);
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe(name);
    }
  });
});

describe.each(Object.entries(examples))('the codec contract for %s', (_name, message) => {
  it('round-trips', () => {
    expect(normalise(decode(encode(message)))).toEqual(normalise(message));
  });

  it('encodes exactly encodingLength bytes', () => {
    expect(encode(message).length).toBe(encodingLength(message));
  });

  it('re-encodes a decoded message to the same bytes', () => {
    const bytes = encode(message);
    expect(encode(decode(bytes))).toEqual(bytes);
  });

  it('encodes at an offset inside a larger buffer and decodes from there', () => {
    const n = encodingLength(message);
    const buf = Buffer.alloc(n + 10);
    expect(write(message, buf, 10)).toBe(10 + n);
    expect(normalise(decode(buf, 10))).toEqual(normalise(message));
    expect(buf.subarray(0, 10)).toEqual(Buffer.alloc(10));
  });
});

describe('decode', () => {
  it('returns the PING payload as a view of the input, not a copy', () => {
    const bytes = encode(examples['ping-hi']!);
    const ping = decode(bytes);
    expect(ping.type === MessageType.PING && ping.payload.buffer).toBe(bytes.buffer);
  });

  it('stops at `end` and ignores bytes after it', () => {
    const bytes = Buffer.concat([encode(examples['error-unsupported-version']!), Buffer.from([0xaa, 0xbb])]);
    expect(decode(bytes, 0, bytes.length - 2)).toEqual(examples['error-unsupported-version']);
  });

  it.each([
    ['a HEALTH_STATUS cut inside its fixed fields', '52430182000000070200', 'UDP_ERR_TRUNCATED'],
    [
      'a HEALTH_STATUS whose version is shorter than its length byte',
      '52430182000000070200000000053031',
      'UDP_ERR_TRUNCATED',
    ],
    ['a HEALTH_STATUS with a version length over 32', '52430182000000070000000000ff', 'UDP_ERR_BAD_FIELD'],
    ['a HEALTH_STATUS whose version is not UTF-8', '52430182000000070000000000' + '01ff', 'UDP_ERR_BAD_FIELD'],
    ['a HEALTH_STATUS with trailing bytes', '5243018200000007000000000000' + '00', 'UDP_ERR_TRAILING_BYTES'],
    ['an ERROR with an unknown error code', '524301ff000000090701', 'UDP_ERR_BAD_FIELD'],
    ['an ERROR cut short', '524301ff0000000901', 'UDP_ERR_TRUNCATED'],
  ])('rejects %s', (_case, hexBytes, code) => {
    expect(() => decode(Buffer.from(hexBytes, 'hex'))).toThrow(expect.objectContaining({ code }));
  });

  it('names the field and offset in the message', () => {
    expect(() => decode(Buffer.from('5243018200000007', 'hex'))).toThrow(/health status at offset 8/);
  });
});

describe('encode', () => {
  it.each<[string, Message]>([
    ['a request id over 32 bits', { type: MessageType.PING, requestId: 2 ** 32, payload: Buffer.alloc(0) }],
    ['a negative request id', { type: MessageType.PING, requestId: -1, payload: Buffer.alloc(0) }],
    ['a fractional padding', { type: MessageType.HEALTH, requestId: 1, paddingBytes: 1.5 }],
    [
      'a server version over 32 bytes',
      { type: MessageType.HEALTH_STATUS, requestId: 1, status: 0, uptimeSeconds: 0, serverVersion: 'x'.repeat(33) },
    ],
    [
      'an unknown health status',
      { type: MessageType.HEALTH_STATUS, requestId: 1, status: 5 as HealthStatus, uptimeSeconds: 0, serverVersion: '' },
    ],
    [
      'an uptime over 32 bits',
      { type: MessageType.HEALTH_STATUS, requestId: 1, status: 0, uptimeSeconds: 2 ** 32, serverVersion: '' },
    ],
    [
      'an unknown wire error code',
      { type: MessageType.ERROR, requestId: 1, errorCode: 3 as WireErrorCode, supportedVersion: 1 },
    ],
    ['a supported version over 255', { type: MessageType.ERROR, requestId: 1, errorCode: 1, supportedVersion: 256 }],
    ['a payload too big for one datagram', { type: MessageType.PING, requestId: 1, payload: Buffer.alloc(65_500) }],
  ])('refuses %s with UDP_ERR_VALUE_RANGE', (_case, message) => {
    expect(() => encode(message)).toThrow(expect.objectContaining({ code: 'UDP_ERR_VALUE_RANGE' }));
  });

  it('refuses an unknown type with UDP_ERR_VALUE_RANGE', () => {
    const message = { type: 0x03, requestId: 1, payload: Buffer.alloc(0) } as unknown as Message;
    expect(() => write(message, Buffer.alloc(8))).toThrow(expect.objectContaining({ code: 'UDP_ERR_VALUE_RANGE' }));
  });

  it('refuses a buffer too small for the message', () => {
    expect(() => write(examples['ping-hi']!, Buffer.alloc(12), 3)).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_BUFFER_TOO_SMALL' }),
    );
  });
});

describe('helpers', () => {
  it('pads a HEALTH request so the longest HEALTH_STATUS fits', () => {
    const request = paddedHealthRequest(5);
    expect(encodingLength(request)).toBe(PADDED_HEALTH_REQUEST_BYTES);
    const longest: Message = {
      type: MessageType.HEALTH_STATUS,
      requestId: 5,
      status: HealthStatus.SERVING,
      uptimeSeconds: 0xffff_ffff,
      serverVersion: 'v'.repeat(32),
    };
    expect(encodingLength(longest)).toBe(encodingLength(request));
  });
});
