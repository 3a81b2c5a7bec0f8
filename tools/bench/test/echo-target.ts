import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { MessageType } from '@ricochet/protocol';
import { deferCleanup } from '@ricochet/testing';
import type { RunTarget } from '../src/run-result';

/**
 * A dgram echo on a loopback port in this process that returns, unchanged, the requests `answer` accepts. Closed
 * after the test that started it.
 */
export async function startEcho(
  answer: (datagram: Buffer, sourcePort: number) => boolean = () => true,
): Promise<RunTarget> {
  const socket = createSocket('udp4');
  socket.on('message', (m, r) => {
    if (answer(m, r.port)) socket.send(m, r.port, r.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  deferCleanup(() => void socket.close());
  return { name: 'echo', port: socket.address().port, pid: process.pid, replyType: MessageType.PING };
}
