import {
  ERROR_BODY_BYTES,
  HEADER_BYTES,
  HEALTH_STATUS_FIXED_BYTES,
  MAX_HEALTH_STATUS_BODY_BYTES,
  MAX_SERVER_VERSION_BYTES,
  MAX_UDP_PAYLOAD_BYTES,
  PROTOCOL_VERSION,
} from './constants';
import { ensureCapacity, ensureReadable } from './bounds';
import { protocolError } from '@ricochet/errors';
import * as header from './header';
import { isHealthStatus, type HealthStatus } from './health-status';
import { MessageType, toString as typeName } from './message-types';
import { isWireErrorCode, WireErrorCode } from './wire-errors';

export interface PingMessage {
  readonly type: typeof MessageType.PING;
  readonly requestId: number;
  /** Opaque bytes, echoed back unchanged in the PONG. */
  readonly payload: Uint8Array;
}

export interface PongMessage {
  readonly type: typeof MessageType.PONG;
  readonly requestId: number;
  readonly payload: Uint8Array;
}

export interface HealthMessage {
  readonly type: typeof MessageType.HEALTH;
  readonly requestId: number;
  /** Length of the zero padding after the header; the reply must fit in header + padding. */
  readonly paddingBytes: number;
}

export interface HealthStatusMessage {
  readonly type: typeof MessageType.HEALTH_STATUS;
  readonly requestId: number;
  readonly status: HealthStatus;
  readonly uptimeSeconds: number;
  /** At most 32 bytes of UTF-8. */
  readonly serverVersion: string;
}

export interface ErrorMessage {
  readonly type: typeof MessageType.ERROR;
  readonly requestId: number;
  readonly errorCode: WireErrorCode;
  /** The protocol version the sender speaks. */
  readonly supportedVersion: number;
}

export type Message = PingMessage | PongMessage | HealthMessage | HealthStatusMessage | ErrorMessage;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encodingLength(message: Message): number {
  return HEADER_BYTES + bodyLength(message);
}

function bodyLength(message: Message): number {
  switch (message.type) {
    case MessageType.PING:
    case MessageType.PONG:
      return message.payload.length;
    case MessageType.HEALTH:
      return message.paddingBytes;
    case MessageType.HEALTH_STATUS:
      return HEALTH_STATUS_FIXED_BYTES + Buffer.byteLength(message.serverVersion, 'utf8');
    case MessageType.ERROR:
      return ERROR_BODY_BYTES;
  }
}

export function encode(message: Message, buf: Buffer = Buffer.alloc(encodingLength(message)), offset = 0): Buffer {
  write(message, buf, offset);
  return buf;
}

/** Writes `message` at `offset` and returns the offset just past it. */
export function write(message: Message, buf: Buffer, offset = 0): number {
  const length = encodingLength(message);
  if (length > MAX_UDP_PAYLOAD_BYTES) {
    throw protocolError('UDP_ERR_VALUE_RANGE', 'message', `at most ${MAX_UDP_PAYLOAD_BYTES} bytes`, `${length} bytes`);
  }
  validateBody(message);
  ensureCapacity(buf, offset, length);
  let at = header.writeHeader(message, buf, offset);
  switch (message.type) {
    case MessageType.PING:
    case MessageType.PONG:
      buf.set(message.payload, at);
      return at + message.payload.length;
    case MessageType.HEALTH:
      buf.fill(0, at, at + message.paddingBytes);
      return at + message.paddingBytes;
    case MessageType.HEALTH_STATUS:
      buf[at++] = message.status;
      buf.writeUInt32BE(message.uptimeSeconds, at);
      at += 4;
      buf[at] = length - HEADER_BYTES - HEALTH_STATUS_FIXED_BYTES;
      return at + 1 + buf.write(message.serverVersion, at + 1, 'utf8');
    case MessageType.ERROR:
      buf[at] = message.errorCode;
      buf[at + 1] = message.supportedVersion;
      return at + ERROR_BODY_BYTES;
  }
}

function validateBody(message: Message): void {
  switch (message.type) {
    case MessageType.PING:
    case MessageType.PONG:
      return;
    case MessageType.HEALTH:
      if (!Number.isInteger(message.paddingBytes) || message.paddingBytes < 0) {
        throw protocolError(
          'UDP_ERR_VALUE_RANGE',
          'paddingBytes',
          'a non-negative integer',
          String(message.paddingBytes),
        );
      }
      return;
    case MessageType.HEALTH_STATUS: {
      if (!isHealthStatus(message.status)) {
        throw protocolError(
          'UDP_ERR_VALUE_RANGE',
          'status',
          'SERVING 0, NOT_SERVING 1 or DRAINING 2',
          String(message.status),
        );
      }
      if (
        !Number.isInteger(message.uptimeSeconds) ||
        message.uptimeSeconds < 0 ||
        message.uptimeSeconds > 0xffff_ffff
      ) {
        throw protocolError(
          'UDP_ERR_VALUE_RANGE',
          'uptimeSeconds',
          'an integer from 0 to 4294967295',
          String(message.uptimeSeconds),
        );
      }
      const versionBytes = Buffer.byteLength(message.serverVersion, 'utf8');
      if (versionBytes > MAX_SERVER_VERSION_BYTES) {
        throw protocolError(
          'UDP_ERR_VALUE_RANGE',
          'serverVersion',
          `at most ${MAX_SERVER_VERSION_BYTES} bytes of UTF-8`,
          `${versionBytes} bytes`,
        );
      }
      return;
    }
    case MessageType.ERROR:
      if (!isWireErrorCode(message.errorCode)) {
        throw protocolError('UDP_ERR_VALUE_RANGE', 'errorCode', 'UNSUPPORTED_VERSION 1', String(message.errorCode));
      }
      if (
        !Number.isInteger(message.supportedVersion) ||
        message.supportedVersion < 0 ||
        message.supportedVersion > 0xff
      ) {
        throw protocolError(
          'UDP_ERR_VALUE_RANGE',
          'supportedVersion',
          'an integer from 0 to 255',
          String(message.supportedVersion),
        );
      }
      return;
  }
}

/**
 * Strict decode of one whole datagram from `offset` to `end`. Throws a coded ProtocolError for truncation,
 * bad lengths, bad field values and trailing bytes.
 */
export function decode(buf: Buffer, offset = 0, end = buf.length): Message {
  const { type, requestId } = header.decode(buf, offset, end);
  const at = offset + HEADER_BYTES;
  switch (type) {
    case MessageType.PING:
    case MessageType.PONG:
      return { type, requestId, payload: buf.subarray(at, end) };
    case MessageType.HEALTH:
      return { type, requestId, paddingBytes: end - at };
    case MessageType.HEALTH_STATUS:
      return decodeHealthStatus(buf, requestId, at, end);
    case MessageType.ERROR:
      return decodeError(buf, requestId, at, end);
  }
}

function decodeHealthStatus(buf: Buffer, requestId: number, at: number, end: number): HealthStatusMessage {
  ensureReadable('health status', at, HEALTH_STATUS_FIXED_BYTES, end);
  const status = buf[at] as number;
  if (!isHealthStatus(status)) {
    throw protocolError('UDP_ERR_BAD_FIELD', 'status', at, 'SERVING 0, NOT_SERVING 1 or DRAINING 2', String(status));
  }
  const uptimeSeconds = buf.readUInt32BE(at + 1);
  const versionLength = buf[at + 5] as number;
  if (versionLength > MAX_SERVER_VERSION_BYTES) {
    throw protocolError(
      'UDP_ERR_BAD_FIELD',
      'server version length',
      at + 5,
      `at most ${MAX_SERVER_VERSION_BYTES}`,
      String(versionLength),
    );
  }
  const versionStart = at + HEALTH_STATUS_FIXED_BYTES;
  ensureReadable('server version', versionStart, versionLength, end);
  const versionEnd = versionStart + versionLength;
  ensureNoTrailingBytes(MessageType.HEALTH_STATUS, versionEnd, end);
  let serverVersion: string;
  try {
    serverVersion = utf8.decode(buf.subarray(versionStart, versionEnd));
  } catch {
    throw protocolError('UDP_ERR_BAD_FIELD', 'server version', versionStart, 'UTF-8 text', 'invalid UTF-8');
  }
  return { type: MessageType.HEALTH_STATUS, requestId, status, uptimeSeconds, serverVersion };
}

function decodeError(buf: Buffer, requestId: number, at: number, end: number): ErrorMessage {
  ensureReadable('error', at, ERROR_BODY_BYTES, end);
  ensureNoTrailingBytes(MessageType.ERROR, at + ERROR_BODY_BYTES, end);
  const errorCode = buf[at] as number;
  if (!isWireErrorCode(errorCode)) {
    throw protocolError('UDP_ERR_BAD_FIELD', 'error code', at, 'UNSUPPORTED_VERSION 1', String(errorCode));
  }
  return { type: MessageType.ERROR, requestId, errorCode, supportedVersion: buf[at + 1] as number };
}

function ensureNoTrailingBytes(type: MessageType, at: number, end: number): void {
  if (end > at) throw protocolError('UDP_ERR_TRAILING_BYTES', typeName(type), at, end - at);
}

/** The HEALTH request a prober should send: padded so that any server's HEALTH_STATUS fits. */
export function paddedHealthRequest(requestId: number): HealthMessage {
  return { type: MessageType.HEALTH, requestId, paddingBytes: MAX_HEALTH_STATUS_BODY_BYTES };
}

/** The ERROR a server may send for a datagram in a version it does not speak. */
export function unsupportedVersionError(requestId: number): ErrorMessage {
  return {
    type: MessageType.ERROR,
    requestId,
    errorCode: WireErrorCode.UNSUPPORTED_VERSION,
    supportedVersion: PROTOCOL_VERSION,
  };
}
