export * from './constants';
export { MessageType, type Message } from './message-types';
export { encode, decode, encodingLength, write } from './message';
export { HealthStatus, healthStatuses } from './health-status-codes';
export { WireErrorCode, wireErrors } from './wire-errors';
export {
  defineReply,
  defineRequest,
  type AnyCodec,
  type BodySpec,
  type MessageCodec,
  type MessageOf,
  type ReplyCodec,
  type RequestCodec,
} from './message-codec';
export { defineMessageTable, type MessageTable, type RequestName } from './message-table';
export { MESSAGES } from './messages/table';
export { createRequestRouter, type DatagramRoutes, type RequestRouterOptions } from './request-router';
export { renderMessageTable, updateReadmeMessageTable } from './message-docs';
export { paddedHealthRequest, PADDED_HEALTH_REQUEST_BYTES, type HealthMessage } from './messages/health';
export { createHealthStatusWriter, type HealthStatusMessage, type HealthStatusWriter } from './messages/health-status';
export { writePongOver, type PongMessage } from './messages/pong';
export { type PingMessage } from './messages/ping';
export {
  unsupportedVersionError,
  writeUnsupportedVersionOver,
  UNSUPPORTED_VERSION_ERROR_BYTES,
  type ErrorMessage,
} from './messages/error';
