import { isRicochetError, protocolError } from '@ricochet/errors';
import { codeTable } from './code-table';
import { HealthStatus, healthStatuses } from './health-status-codes';
import { MessageType } from './message-types';
import { MESSAGES } from './messages/table';
import { wireErrors } from './wire-errors';

describe('message types', () => {
  it('are the type bytes of the message table, by name', () => {
    expect(MessageType).toEqual({ PING: 0x01, HEALTH: 0x02, PONG: 0x81, HEALTH_STATUS: 0x82, ERROR: 0xff });
  });

  it('maps codes to names and back', () => {
    for (const [name, code] of Object.entries(MessageType)) {
      expect(MESSAGES.types.toString(code)).toBe(name);
      expect(MESSAGES.types.toCode(name)).toBe(code);
    }
  });

  it('names an unknown code by its hex value and finds no code for an unknown name', () => {
    expect(MESSAGES.types.toString(0x03)).toBe('UNKNOWN_0x03');
    expect(MESSAGES.types.toCode('toString')).toBeUndefined();
  });
});

describe('health status', () => {
  it('maps codes to names and back', () => {
    for (const [name, code] of Object.entries(HealthStatus)) {
      expect(healthStatuses.toString(code)).toBe(name);
      expect(healthStatuses.toCode(name)).toBe(code);
    }
    expect(healthStatuses.toString(7)).toBe('UNKNOWN_7');
    expect(healthStatuses.toCode('constructor')).toBeUndefined();
    expect(healthStatuses.is(1.5)).toBe(false);
  });

  it('lists its choices for error messages', () => {
    expect(healthStatuses.choices).toBe('SERVING 0, NOT_SERVING 1 or DRAINING 2');
  });
});

describe('wire error codes', () => {
  it('names UNSUPPORTED_VERSION and flags others as unknown', () => {
    expect(wireErrors.toString(1)).toBe('UNSUPPORTED_VERSION');
    expect(wireErrors.toString(2)).toBe('UNKNOWN_2');
    expect(wireErrors.choices).toBe('UNSUPPORTED_VERSION 1');
  });
});

describe('codeTable', () => {
  it('lists two choices with "or" and none as nothing', () => {
    expect(codeTable({ A: 1, B: 2 }).choices).toBe('A 1 or B 2');
    expect(codeTable({}).choices).toBe('');
  });
});

describe('isRicochetError', () => {
  it('recognises coded errors and nothing else', () => {
    expect(isRicochetError(protocolError('UDP_ERR_BAD_MAGIC', 0, 0))).toBe(true);
    expect(isRicochetError(new Error('plain'))).toBe(false);
  });
});
