import { REPLY_FLAG } from './constants';

export const MessageType = {
  PING: 0x01,
  HEALTH: 0x02,
  PONG: 0x81,
  HEALTH_STATUS: 0x82,
  ERROR: 0xff,
} as const;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];
export type MessageTypeName = keyof typeof MessageType;

const names = new Map<number, MessageTypeName>(
  Object.entries(MessageType).map(([name, code]) => [code, name as MessageTypeName]),
);

export function isMessageType(code: number): code is MessageType {
  return names.has(code);
}

/** True for 0x80–0xff: replies and errors, known or not. */
export function isReplyType(code: number): boolean {
  return (code & REPLY_FLAG) !== 0;
}

export function toString(code: number): string {
  return names.get(code) ?? `UNKNOWN_0x${code.toString(16).padStart(2, '0')}`;
}

export function toMessageType(name: string): MessageType | undefined {
  return Object.hasOwn(MessageType, name) ? MessageType[name as MessageTypeName] : undefined;
}
