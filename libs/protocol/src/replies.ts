import {
  ERROR_BODY_BYTES,
  HEADER_BYTES,
  HEALTH_STATUS_FIXED_BYTES,
  MAX_SERVER_VERSION_BYTES,
  PROTOCOL_VERSION,
  TYPE_OFFSET,
  VERSION_OFFSET,
} from './constants';
import { protocolError } from '@ricochet/errors';
import type { HealthStatus } from './health-status';
import { MessageType } from './message-types';
import { WireErrorCode } from './wire-errors';

// In-place reply writers for a server's per-datagram path. Each overwrites a request that has already passed
// `checkRequest` with its reply, keeping the request id, so answering allocates nothing. The caller checks that
// the reply fits (`length <= request.length`) before writing: a reply is never longer than its request.

/** A PONG is the PING with its type changed: same id, same payload, same length. */
export function writePongOver(ping: Buffer): number {
  ping[TYPE_OFFSET] = MessageType.PONG;
  return ping.length;
}

export interface HealthStatusWriter {
  /** Length of every HEALTH_STATUS this writer produces. */
  readonly length: number;
  /** Overwrites a HEALTH request of at least `length` bytes; returns `length`. */
  writeOver(health: Buffer, status: HealthStatus, uptimeSeconds: number): number;
}

/** Encodes the server version once, at start-up, for every HEALTH_STATUS to come. */
export function createHealthStatusWriter(serverVersion: string): HealthStatusWriter {
  const version = Buffer.from(serverVersion, 'utf8');
  if (version.length > MAX_SERVER_VERSION_BYTES) {
    throw protocolError(
      'UDP_ERR_VALUE_RANGE',
      'serverVersion',
      `at most ${MAX_SERVER_VERSION_BYTES} bytes of UTF-8`,
      `${version.length} bytes`,
    );
  }
  const length = HEADER_BYTES + HEALTH_STATUS_FIXED_BYTES + version.length;
  return {
    length,
    writeOver(health, status, uptimeSeconds) {
      health[TYPE_OFFSET] = MessageType.HEALTH_STATUS;
      health[HEADER_BYTES] = status;
      health.writeUInt32BE(Math.min(uptimeSeconds, 0xffff_ffff), HEADER_BYTES + 1);
      health[HEADER_BYTES + 5] = version.length;
      version.copy(health, HEADER_BYTES + HEALTH_STATUS_FIXED_BYTES);
      return length;
    },
  };
}

export const UNSUPPORTED_VERSION_ERROR_BYTES = HEADER_BYTES + ERROR_BODY_BYTES;

/** Overwrites a request in another version with an ERROR naming the version spoken here (`version`). */
export function writeUnsupportedVersionOver(request: Buffer, version: number = PROTOCOL_VERSION): number {
  request[VERSION_OFFSET] = version;
  request[TYPE_OFFSET] = MessageType.ERROR;
  request[HEADER_BYTES] = WireErrorCode.UNSUPPORTED_VERSION;
  request[HEADER_BYTES + 1] = version;
  return UNSUPPORTED_VERSION_ERROR_BYTES;
}
