import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { MessageType, encode } from '@ricochet/protocol';

/** Ask for this much socket buffer on the generator side, so its own queues never drop a reply. */
const GENERATOR_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * A fresh UDP socket connected to the target on loopback. Connected, so each send skips dgram's per-call
 * address lookup and the kernel delivers replies from the target only; fresh per run, so no late reply from
 * an earlier run can arrive on it.
 */
export async function openGeneratorSocket(port: number): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  socket.setRecvBufferSize(GENERATOR_BUFFER_BYTES);
  socket.setSendBufferSize(GENERATOR_BUFFER_BYTES);
  socket.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

/** A PING with `payloadBytes` of filler; the generator rewrites its request id before each send. */
export function pingDatagram(payloadBytes: number): Buffer {
  return encode({ type: MessageType.PING, requestId: 0, payload: Buffer.alloc(payloadBytes, 0x61) });
}

export function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(resolve));
}
