import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { freePort } from '../src';

describe('freePort', () => {
  it('gives a UDP port on 127.0.0.1 that can be bound', async () => {
    const port = await freePort();
    const socket = createSocket('udp4');
    socket.bind(port, '127.0.0.1');
    await once(socket, 'listening');
    expect(socket.address().port).toBe(port);
    socket.close();
  });

  it('gives a UDP port on ::1 that can be bound', async () => {
    const port = await freePort({ host: '::1' });
    const socket = createSocket('udp6');
    socket.bind(port, '::1');
    await once(socket, 'listening');
    expect(socket.address()).toMatchObject({ address: '::1', port });
    socket.close();
  });

  it('gives a TCP port that can be listened on', async () => {
    const port = await freePort({ protocol: 'tcp' });
    const server = createServer().listen(port, '127.0.0.1');
    await once(server, 'listening');
    expect(server.address()).toMatchObject({ port });
    server.close();
  });
});
