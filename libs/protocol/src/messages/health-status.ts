import { protocolError } from '@ricochet/errors';
import { ensureReadable, ensureNoTrailingBytes } from '../bounds';
import { HEADER_BYTES, TYPE_OFFSET } from '../constants';
import { healthStatuses, type HealthStatus } from '../health-status-codes';
import { defineReply } from '../message-codec';

const TYPE = 0x82;
const NAME = 'HEALTH_STATUS';

// The body's layout, from its first byte: status (u8), uptime in seconds (u32), version length (u8), version.
const STATUS_AT = 0;
const UPTIME_AT = 1;
const VERSION_LENGTH_AT = 5;
const VERSION_AT = 6;
const MAX_UPTIME_SECONDS = 0xffff_ffff;
export const MAX_SERVER_VERSION_BYTES = 32;
export const MAX_HEALTH_STATUS_BODY_BYTES = VERSION_AT + MAX_SERVER_VERSION_BYTES;

export interface HealthStatusBody {
  readonly status: HealthStatus;
  readonly uptimeSeconds: number;
  /** At most 32 bytes of UTF-8. */
  readonly serverVersion: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** HEALTH_STATUS 0x82: the answer to a HEALTH. */
export const healthStatus = defineReply(
  {
    type: TYPE,
    name: NAME,
    body: `status (u8), uptime in seconds (u32), version length (u8), version (≤ ${MAX_SERVER_VERSION_BYTES} B UTF-8)`,
    bodyLength: (body: HealthStatusBody) => VERSION_AT + Buffer.byteLength(body.serverVersion, 'utf8'),
    validate(body: HealthStatusBody) {
      if (!healthStatuses.is(body.status)) {
        throw protocolError('UDP_ERR_VALUE_RANGE', 'status', healthStatuses.choices, String(body.status));
      }
      const uptime = body.uptimeSeconds;
      if (!Number.isInteger(uptime) || uptime < 0 || uptime > MAX_UPTIME_SECONDS) {
        throw protocolError(
          'UDP_ERR_VALUE_RANGE',
          'uptimeSeconds',
          `an integer from 0 to ${MAX_UPTIME_SECONDS}`,
          String(uptime),
        );
      }
      checkVersionLength(Buffer.byteLength(body.serverVersion, 'utf8'));
    },
    writeBody(body: HealthStatusBody, buf, offset) {
      buf[offset + STATUS_AT] = body.status;
      buf.writeUInt32BE(body.uptimeSeconds, offset + UPTIME_AT);
      const versionBytes = buf.write(body.serverVersion, offset + VERSION_AT, 'utf8');
      buf[offset + VERSION_LENGTH_AT] = versionBytes;
      return offset + VERSION_AT + versionBytes;
    },
    readBody(buf, offset, end): HealthStatusBody {
      ensureReadable('health status', offset, VERSION_AT, end);
      const status = buf[offset + STATUS_AT] as number;
      if (!healthStatuses.is(status)) {
        throw protocolError('UDP_ERR_BAD_FIELD', 'status', offset + STATUS_AT, healthStatuses.choices, String(status));
      }
      const versionLength = buf[offset + VERSION_LENGTH_AT] as number;
      if (versionLength > MAX_SERVER_VERSION_BYTES) {
        throw protocolError(
          'UDP_ERR_BAD_FIELD',
          'server version length',
          offset + VERSION_LENGTH_AT,
          `at most ${MAX_SERVER_VERSION_BYTES}`,
          String(versionLength),
        );
      }
      const versionStart = offset + VERSION_AT;
      ensureReadable('server version', versionStart, versionLength, end);
      const versionEnd = versionStart + versionLength;
      ensureNoTrailingBytes(NAME, versionEnd, end);
      let serverVersion: string;
      try {
        serverVersion = utf8.decode(buf.subarray(versionStart, versionEnd));
      } catch {
        throw protocolError('UDP_ERR_BAD_FIELD', 'server version', versionStart, 'UTF-8 text', 'invalid UTF-8');
      }
      return { status, uptimeSeconds: buf.readUInt32BE(offset + UPTIME_AT), serverVersion };
    },
  },
  { createWriter: createHealthStatusWriter },
);

function checkVersionLength(bytes: number): void {
  if (bytes > MAX_SERVER_VERSION_BYTES) {
    throw protocolError(
      'UDP_ERR_VALUE_RANGE',
      'serverVersion',
      `at most ${MAX_SERVER_VERSION_BYTES} bytes of UTF-8`,
      `${bytes} bytes`,
    );
  }
}

export interface HealthStatusWriter {
  /** Length of every HEALTH_STATUS this writer produces. */
  readonly length: number;
  /** Overwrites a HEALTH request of at least `length` bytes with its answer, in place; returns `length`. */
  writeOver(health: Buffer, status: HealthStatus, uptimeSeconds: number): number;
}

/**
 * Encodes the server version once, at start-up, for every HEALTH_STATUS to come; each is then written over its
 * HEALTH request, keeping the request id, so answering allocates nothing.
 */
function createHealthStatusWriter(serverVersion: string): HealthStatusWriter {
  const version = Buffer.from(serverVersion, 'utf8');
  checkVersionLength(version.length);
  const length = HEADER_BYTES + VERSION_AT + version.length;
  return {
    length,
    writeOver(health, status, uptimeSeconds) {
      health[TYPE_OFFSET] = TYPE;
      health[HEADER_BYTES + STATUS_AT] = status;
      health.writeUInt32BE(Math.min(uptimeSeconds, MAX_UPTIME_SECONDS), HEADER_BYTES + UPTIME_AT);
      health[HEADER_BYTES + VERSION_LENGTH_AT] = version.length;
      version.copy(health, HEADER_BYTES + VERSION_AT);
      return length;
    },
  };
}
