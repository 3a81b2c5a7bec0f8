import type { MessageOf } from './message-codec';
import { MESSAGES } from './messages/table';

/** The type bytes by name (`MessageType.PING === 0x01`), derived from the message table. */
export const MessageType = MESSAGES.types.codes;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Any message of wire format v1. */
export type Message = MessageOf<(typeof MESSAGES)['codecs'][number]>;
