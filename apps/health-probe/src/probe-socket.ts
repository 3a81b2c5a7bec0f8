import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { once } from 'node:events';
import { isIP } from 'node:net';

export interface ProbeSocket {
  readonly socket: Socket;
  /** host:port as given, for messages. */
  readonly target: string;
}

/**
 * A UDP socket connected to the server. Connecting filters out datagrams from anyone else and turns an ICMP
 * "port unreachable" into an ECONNREFUSED 'error' event, so "nothing listens there" shows up at once.
 */
export async function openProbeSocket(host: string, port: number): Promise<ProbeSocket> {
  // A literal address never goes to the resolver (the settings already refused anything shaped like a bad one).
  const literal = isIP(host);
  const { address, family } = literal === 0 ? await lookup(host) : { address: host, family: literal };
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  const connected = once(socket, 'connect');
  socket.connect(port, address);
  await connected;
  return { socket, target: `${host.includes(':') ? `[${host}]` : host}:${port}` };
}
