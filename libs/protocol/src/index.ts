export { HEADER_BYTES, MAX_UDP_PAYLOAD_BYTES, PROTOCOL_VERSION, REQUEST_ID_OFFSET, TYPE_OFFSET } from './constants';
export { MessageType, type Message } from './message-types';
export { encode, decode, encodingLength, write } from './message';
export { ensureNoTrailingBytes, ensureReadable } from './bounds';
export { HealthStatus, healthStatuses } from './health-status-codes';
export { WireErrorCode, wireErrors } from './wire-errors';
export {
  defineReply,
  defineRequest,
  type AnyCodec,
  type MessageOf,
  type ReplyCodec,
  type RequestCodec,
} from './message-codec';
export { defineMessageTable, type MessageTable, type RequestName } from './message-table';
export { MESSAGES } from './messages/table';
export { createRequestRouter, type DatagramRoutes } from './request-router';
export { renderMessageTable, updateReadmeMessageTable } from './message-docs';
export { paddedHealthRequest, PADDED_HEALTH_REQUEST_BYTES } from './messages/health';
