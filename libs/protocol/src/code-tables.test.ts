import { isRicochetError, protocolError } from '@ricochet/errors';
import * as healthStatus from './health-status';
import * as messageTypes from './message-types';
import * as wireErrors from './wire-errors';

describe('message types', () => {
  it('maps codes to names and back', () => {
    for (const [name, code] of Object.entries(messageTypes.MessageType)) {
      expect(messageTypes.toString(code)).toBe(name);
      expect(messageTypes.toMessageType(name)).toBe(code);
    }
  });

  it('names an unknown code by its hex value and finds no code for an unknown name', () => {
    expect(messageTypes.toString(0x03)).toBe('UNKNOWN_0x03');
    expect(messageTypes.toMessageType('toString')).toBeUndefined();
  });

  it('treats every type with the high bit set as a reply', () => {
    expect(messageTypes.isReplyType(0x80)).toBe(true);
    expect(messageTypes.isReplyType(0xff)).toBe(true);
    expect(messageTypes.isReplyType(0x7f)).toBe(false);
  });
});

describe('health status', () => {
  it('maps codes to names and back', () => {
    for (const [name, code] of Object.entries(healthStatus.HealthStatus)) {
      expect(healthStatus.toString(code)).toBe(name);
      expect(healthStatus.toHealthStatus(name)).toBe(code);
    }
    expect(healthStatus.toString(7)).toBe('UNKNOWN_7');
    expect(healthStatus.toHealthStatus('constructor')).toBeUndefined();
    expect(healthStatus.isHealthStatus(1.5)).toBe(false);
  });
});

describe('wire error codes', () => {
  it('names UNSUPPORTED_VERSION and flags others as unknown', () => {
    expect(wireErrors.toString(1)).toBe('UNSUPPORTED_VERSION');
    expect(wireErrors.toString(2)).toBe('UNKNOWN_2');
  });
});

describe('isRicochetError', () => {
  it('recognises coded errors and nothing else', () => {
    expect(isRicochetError(protocolError('UDP_ERR_BAD_MAGIC', 0, 0))).toBe(true);
    expect(isRicochetError(new Error('plain'))).toBe(false);
  });
});
