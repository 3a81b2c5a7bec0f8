import { MESSAGES } from './messages/table';

// The general codec, in dns-packet's shape: it finds each message's codec in the message table by its type byte.
export const { encode, decode, encodingLength, write } = MESSAGES;
