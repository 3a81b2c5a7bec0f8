// The baseline: the plainest Node UDP echo there is, with none of the server's checks. Bundled and run as its
// own process by the bench (see project.json), listening on UDP_HOST:UDP_PORT.
import { createSocket } from 'node:dgram';

const host = process.env['UDP_HOST'] ?? '127.0.0.1';
const port = Number(process.env['UDP_PORT'] ?? '0');

const socket = createSocket('udp4');
socket.on('message', (m, r) => socket.send(m, r.port, r.address));
socket.bind(port, host, () => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', pid: process.pid, address: socket.address() })}\n`);
});
process.once('SIGTERM', () => socket.close());
process.once('SIGINT', () => socket.close());
