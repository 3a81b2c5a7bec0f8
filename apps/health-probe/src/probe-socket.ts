import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { once } from 'node:events';
import { isIP } from 'node:net';
import { createError } from '@ricochet/errors';
import { errorCode, explainSocketError } from './socket-errors';

export interface ProbeSocket {
  readonly socket: Socket;
  /** host:port as given, for messages. */
  readonly target: string;
  /** The address the host resolved to (the host itself when it is one). */
  readonly address: string;
}

/** Why getaddrinfo failed, in words; the codes are node:dns's. */
const RESOLVE_FAILURES: Readonly<Record<string, string>> = {
  ENOTFOUND: 'no such name',
  EAI_AGAIN: 'the resolver did not answer in time',
  ENODATA: 'the name has no address',
  ESERVFAIL: 'the DNS server failed',
  ECONNREFUSED: 'the DNS server refused the query',
};

async function resolve(host: string): Promise<{ address: string; family: number }> {
  // A literal address never goes to the resolver (the settings already refused anything shaped like a bad one).
  const literal = isIP(host);
  if (literal !== 0) return { address: host, family: literal };
  try {
    return await lookup(host);
  } catch (err) {
    const code = errorCode(err as Error);
    const cause = RESOLVE_FAILURES[code];
    throw createError('UDP_ERR_PROBE_RESOLVE', host, cause === undefined ? code : `${cause} (${code})`);
  }
}

/**
 * A UDP socket connected to the server. Connecting filters out datagrams from anyone else and turns an ICMP
 * "port unreachable" into an ECONNREFUSED 'error' event, so "nothing listens there" shows up at once.
 * Throws a coded ProbeError when the name does not resolve or the address cannot be reached from here.
 */
export async function openProbeSocket(host: string, port: number): Promise<ProbeSocket> {
  const { address, family } = await resolve(host);
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  try {
    const connected = once(socket, 'connect');
    socket.connect(port, address);
    await connected;
  } catch (err) {
    socket.close();
    throw createError('UDP_ERR_PROBE_UNREACHABLE', target, explainSocketError(errorCode(err as Error)));
  }
  return { socket, target, address };
}
