import { codeTable } from './code-table';

/** Codes carried in the body of an ERROR (0xff) message. */
export const WireErrorCode = {
  UNSUPPORTED_VERSION: 1,
} as const;

export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

export const wireErrors = codeTable(WireErrorCode);
