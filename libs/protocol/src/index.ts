export * from './constants';
export { MessageType, type MessageTypeName, isMessageType, isReplyType, toMessageType } from './message-types';
export { toString as messageTypeName } from './message-types';
export { HealthStatus, type HealthStatusName, isHealthStatus, toHealthStatus } from './health-status';
export { toString as healthStatusName } from './health-status';
export { WireErrorCode, isWireErrorCode } from './wire-errors';
export { toString as wireErrorName } from './wire-errors';
export { RequestCheck, checkRequest } from './request-check';
export * as header from './header';
export type { Header } from './header';
export {
  encode,
  decode,
  encodingLength,
  write,
  paddedHealthRequest,
  unsupportedVersionError,
  type Message,
  type PingMessage,
  type PongMessage,
  type HealthMessage,
  type HealthStatusMessage,
  type ErrorMessage,
} from './message';
export {
  writePongOver,
  createHealthStatusWriter,
  writeUnsupportedVersionOver,
  UNSUPPORTED_VERSION_ERROR_BYTES,
  type HealthStatusWriter,
} from './replies';
