import { protocolError } from '@ricochet/errors';
import { HEADER_BYTES } from '../constants';
import { defineRequest, type MessageOf } from '../message-codec';
import { healthStatus, MAX_HEALTH_STATUS_BODY_BYTES } from './health-status';

/**
 * How long a HEALTH request should be. A reply is never longer than its request, so a prober pads its HEALTH
 * request to fit the longest HEALTH_STATUS any server can send.
 */
export const PADDED_HEALTH_REQUEST_BYTES = HEADER_BYTES + MAX_HEALTH_STATUS_BODY_BYTES;

export interface HealthBody {
  /** Length of the zero padding after the header; the reply must fit in header + padding. */
  readonly paddingBytes: number;
}

/** HEALTH 0x02: asks for the server's status; padded, because its HEALTH_STATUS must fit in it. */
export const health = defineRequest({
  type: 0x02,
  name: 'HEALTH',
  reply: healthStatus,
  body: `zero padding; must be long enough for the reply (pad to ${PADDED_HEALTH_REQUEST_BYTES} bytes in all)`,
  bodyLength: (body: HealthBody) => body.paddingBytes,
  validate(body: HealthBody) {
    if (!Number.isInteger(body.paddingBytes) || body.paddingBytes < 0) {
      throw protocolError('UDP_ERR_VALUE_RANGE', 'paddingBytes', 'a non-negative integer', String(body.paddingBytes));
    }
  },
  writeBody(body: HealthBody, buf, offset) {
    buf.fill(0, offset, offset + body.paddingBytes);
    return offset + body.paddingBytes;
  },
  // The padding's content is ignored.
  readBody: (_buf, offset, end): HealthBody => ({ paddingBytes: end - offset }),
});

export type HealthMessage = MessageOf<typeof health>;

/** The HEALTH request a prober should send: padded so that any server's HEALTH_STATUS fits. */
export function paddedHealthRequest(requestId: number): HealthMessage {
  return { type: health.type, requestId, paddingBytes: MAX_HEALTH_STATUS_BODY_BYTES };
}
