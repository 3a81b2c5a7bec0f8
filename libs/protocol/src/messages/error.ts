import { protocolError } from '@ricochet/errors';
import { ensureNoTrailingBytes, ensureReadable } from '../bounds';
import { HEADER_BYTES, PROTOCOL_VERSION, TYPE_OFFSET, VERSION_OFFSET } from '../constants';
import { defineReply } from '../message-codec';
import { WireErrorCode, wireErrors } from '../wire-errors';

const TYPE = 0xff;
const NAME = 'ERROR';

// The body's layout: error code (u8), then the version the sender speaks (u8).
const ERROR_CODE_AT = 0;
const SUPPORTED_VERSION_AT = 1;
const ERROR_BODY_BYTES = 2;
const UNSUPPORTED_VERSION_ERROR_BYTES = HEADER_BYTES + ERROR_BODY_BYTES;

export interface ErrorBody {
  readonly errorCode: WireErrorCode;
  /** The protocol version the sender speaks. */
  readonly supportedVersion: number;
}

/** ERROR 0xff: what a server answers a request it will not serve (today: one in another version). */
export const error = defineReply(
  {
    type: TYPE,
    name: NAME,
    body: `error code (u8: ${Object.entries(WireErrorCode)
      .map(([name, code]) => `\`${code}\` ${name}`)
      .join(', ')}), version the sender speaks (u8)`,
    bodyLength: () => ERROR_BODY_BYTES,
    validate(body: ErrorBody) {
      if (!wireErrors.is(body.errorCode)) {
        throw protocolError('UDP_ERR_VALUE_RANGE', 'errorCode', wireErrors.choices, String(body.errorCode));
      }
      const version = body.supportedVersion;
      if (!Number.isInteger(version) || version < 0 || version > 0xff) {
        throw protocolError('UDP_ERR_VALUE_RANGE', 'supportedVersion', 'an integer from 0 to 255', String(version));
      }
    },
    writeBody(body: ErrorBody, buf, offset) {
      buf[offset + ERROR_CODE_AT] = body.errorCode;
      buf[offset + SUPPORTED_VERSION_AT] = body.supportedVersion;
      return offset + ERROR_BODY_BYTES;
    },
    readBody(buf, offset, end): ErrorBody {
      ensureReadable('error', offset, ERROR_BODY_BYTES, end);
      ensureNoTrailingBytes(NAME, offset + ERROR_BODY_BYTES, end);
      const errorCode = buf[offset + ERROR_CODE_AT] as number;
      if (!wireErrors.is(errorCode)) {
        throw protocolError(
          'UDP_ERR_BAD_FIELD',
          'error code',
          offset + ERROR_CODE_AT,
          wireErrors.choices,
          String(errorCode),
        );
      }
      return { errorCode, supportedVersion: buf[offset + SUPPORTED_VERSION_AT] as number };
    },
  },
  { writeUnsupportedVersionOver, unsupportedVersionBytes: UNSUPPORTED_VERSION_ERROR_BYTES },
);

/**
 * Overwrites a request in another version with an ERROR naming the version spoken here (`version`), keeping the
 * request id. The request must be at least `unsupportedVersionBytes` long. Returns the reply's length.
 */
function writeUnsupportedVersionOver(request: Buffer, version: number = PROTOCOL_VERSION): number {
  request[VERSION_OFFSET] = version;
  request[TYPE_OFFSET] = TYPE;
  request[HEADER_BYTES + ERROR_CODE_AT] = WireErrorCode.UNSUPPORTED_VERSION;
  request[HEADER_BYTES + SUPPORTED_VERSION_AT] = version;
  return UNSUPPORTED_VERSION_ERROR_BYTES;
}
