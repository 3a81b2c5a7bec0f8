import { MessageType, decode, encode } from '@ricochet/protocol';
import { UdpClient, barrier } from '../src';

/**
 * A stand-in server: answers PING with PONG (unless `dropPing` says to drop it) and any other datagram with
 * "re:" and the datagram, in arrival order as the real one does.
 */
async function server(dropPing: (n: number) => boolean = () => false): Promise<UdpClient> {
  const socket = await UdpClient.open();
  let pings = 0;
  socket.socket.on('message', (datagram: Buffer, from) => {
    const ping = datagram.length >= 8 && datagram[3] === MessageType.PING ? decode(datagram) : undefined;
    if (ping?.type !== MessageType.PING) {
      socket.socket.send(Buffer.concat([Buffer.from('re:'), datagram]), from.port, from.address);
    } else if (!dropPing(++pings)) {
      const pong = encode({ type: MessageType.PONG, requestId: ping.requestId, payload: ping.payload });
      socket.socket.send(pong, from.port, from.address);
    }
  });
  return socket;
}

describe('barrier', () => {
  it('resolves with the replies to what was sent before it, in order, after one PING', async () => {
    const target = await server();
    const client = await UdpClient.open();
    const result = await barrier(client, target.port, { before: ['a', 'b', 'c'].map((s) => Buffer.from(s)) });
    expect({ ...result, replies: result.replies.map(String) }).toEqual({
      replies: ['re:a', 're:b', 're:c'],
      pingsSent: 1,
      pingsAnswered: 1,
    });
  });

  it('with resendMs, sends PINGs until one is answered and then one last, counting each', async () => {
    const target = await server((n) => n <= 3);
    const client = await UdpClient.open();
    const { replies, pingsSent, pingsAnswered } = await barrier(client, target.port, { resendMs: 20 });
    expect(replies).toEqual([]);
    expect(pingsSent).toBeGreaterThanOrEqual(5);
    expect(pingsAnswered).toBe(pingsSent - 3);
  });

  it('rejects with what it saw when the last PING is not answered in time', async () => {
    const target = await server(() => true);
    const client = await UdpClient.open();
    await expect(barrier(client, target.port, { before: [Buffer.from('x')], timeoutMs: 200 })).rejects.toThrow(
      `barrier: no answer to the last PING to port ${target.port} within 200 ms (1 sent, 0 answered, 1 other datagrams received)`,
    );
  });

  it('stops listening when it resolves', async () => {
    const target = await server();
    const client = await UdpClient.open();
    const listeners = client.socket.listenerCount('message');
    await barrier(client, target.port);
    expect(client.socket.listenerCount('message')).toBe(listeners);
  });
});
