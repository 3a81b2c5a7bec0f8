/** Codes carried in the body of an ERROR (0xff) message. */
export const WireErrorCode = {
  UNSUPPORTED_VERSION: 1,
} as const;

export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

export function isWireErrorCode(code: number): code is WireErrorCode {
  return code === WireErrorCode.UNSUPPORTED_VERSION;
}

export function toString(code: number): string {
  return code === WireErrorCode.UNSUPPORTED_VERSION ? 'UNSUPPORTED_VERSION' : `UNKNOWN_${code}`;
}
