import { UdpClient } from '../src';

/** A client that answers every datagram with `reply(datagram)`, or not at all when it gives undefined. */
async function responder(reply: (datagram: Buffer) => Buffer | undefined, host = '127.0.0.1'): Promise<UdpClient> {
  const server = await UdpClient.open({ host });
  server.socket.on('message', (datagram: Buffer, from) => {
    const answer = reply(datagram);
    if (answer) server.socket.send(answer, from.port, from.address);
  });
  return server;
}

describe('UdpClient', () => {
  let openedByTheFirstTest: UdpClient | undefined;

  it('sends a request and resolves with the reply', async () => {
    const server = await responder((datagram) => Buffer.concat([Buffer.from('re:'), datagram]));
    openedByTheFirstTest = await UdpClient.open();
    expect((await openedByTheFirstTest.request(Buffer.from('hello'), server.port)).toString()).toBe('re:hello');
  });

  it('is closed after the test that opened it', () => {
    expect(() => openedByTheFirstTest!.port).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_DGRAM_NOT_RUNNING' }));
  });

  it('works on IPv6 loopback', async () => {
    const server = await responder((datagram) => datagram, '::1');
    const client = await UdpClient.open({ host: '::1' });
    expect((await client.request(Buffer.from('six'), server.port)).toString()).toBe('six');
  });

  it('sends again when a reply does not come, up to its attempts', async () => {
    let seen = 0;
    const server = await responder((datagram) => (++seen === 1 ? undefined : datagram));
    const client = await UdpClient.open();
    const reply = await client.request(Buffer.from('again'), server.port, { timeoutMs: 200, attempts: 3 });
    expect({ reply: reply.toString(), seen }).toEqual({ reply: 'again', seen: 2 });
  });

  it('rejects, saying where it waited, when nothing comes back', async () => {
    const silent = await responder(() => undefined);
    const client = await UdpClient.open();
    await expect(client.receive(50)).rejects.toThrow(`nothing arrived at 127.0.0.1:${client.port} within 50 ms`);
    await expect(client.request(Buffer.from('x'), silent.port, { timeoutMs: 50, attempts: 2 })).rejects.toThrow(
      `no reply from 127.0.0.1:${silent.port} to 2 attempt(s) of 50 ms`,
    );
  });

  it('can be closed twice', async () => {
    const client = await UdpClient.open();
    client.close();
    expect(() => client.close()).not.toThrow();
  });
});
