import { HealthStatus } from '../health-status-codes';
import { decode, encode } from '../message';
import { MessageType } from '../message-types';
import { error } from './error';
import { paddedHealthRequest } from './health';
import { healthStatus } from './health-status';
import { pong } from './pong';

const writePongOver = pong.inPlace.writeOver;
const createHealthStatusWriter = healthStatus.inPlace.createWriter;
const writeUnsupportedVersionOver = error.inPlace.writeUnsupportedVersionOver;

describe('in-place reply writers', () => {
  it('turns a PING into its PONG: same id, same payload, same length', () => {
    const ping = encode({ type: MessageType.PING, requestId: 77, payload: Buffer.from('abc') });
    expect(writePongOver(ping)).toBe(ping.length);
    expect(decode(ping)).toEqual({ type: MessageType.PONG, requestId: 77, payload: Buffer.from('abc') });
  });

  it('turns a PING held in a longer slot into its PONG, of the length given', () => {
    const slot = Buffer.alloc(64, 0xaa);
    encode({ type: MessageType.PING, requestId: 78, payload: Buffer.from('abc') }).copy(slot);
    expect(writePongOver(slot, 11)).toBe(11);
    expect(decode(slot.subarray(0, 11))).toEqual({
      type: MessageType.PONG,
      requestId: 78,
      payload: Buffer.from('abc'),
    });
  });

  it('writes a HEALTH_STATUS that decodes to the status, uptime and version given', () => {
    const writer = createHealthStatusWriter('1.2.3');
    const request = encode(paddedHealthRequest(0xabcdef01));
    const length = writer.writeOver(request, HealthStatus.DRAINING, 42);
    expect(length).toBe(writer.length);
    expect(decode(request.subarray(0, length))).toEqual({
      type: MessageType.HEALTH_STATUS,
      requestId: 0xabcdef01,
      status: HealthStatus.DRAINING,
      uptimeSeconds: 42,
      serverVersion: '1.2.3',
    });
  });

  it('writes the same bytes as the general encoder', () => {
    const writer = createHealthStatusWriter('é-1');
    const request = encode(paddedHealthRequest(5));
    writer.writeOver(request, HealthStatus.SERVING, 9);
    const expected = encode({
      type: MessageType.HEALTH_STATUS,
      requestId: 5,
      status: 0,
      uptimeSeconds: 9,
      serverVersion: 'é-1',
    });
    expect(request.subarray(0, writer.length)).toEqual(expected);
  });

  it('caps the uptime at 32 bits rather than failing', () => {
    const writer = createHealthStatusWriter('');
    const request = encode(paddedHealthRequest(1));
    writer.writeOver(request, HealthStatus.SERVING, 2 ** 40);
    expect(decode(request.subarray(0, writer.length))).toMatchObject({ uptimeSeconds: 0xffffffff });
  });

  it('refuses a server version over 32 bytes at start-up', () => {
    expect(() => createHealthStatusWriter('v'.repeat(33))).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_VALUE_RANGE' }),
    );
  });

  it('answers another version with an ERROR naming version 1 and keeping the request id', () => {
    const request = Buffer.from('52430701000004d2ffff', 'hex');
    expect(writeUnsupportedVersionOver(request)).toBe(10);
    expect(error.inPlace.unsupportedVersionBytes).toBe(10);
    expect(decode(request)).toEqual({ type: MessageType.ERROR, requestId: 1234, errorCode: 1, supportedVersion: 1 });
  });
});
