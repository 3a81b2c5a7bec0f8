/**
 * What an errno on the probe's connected UDP socket means. The kernel turns the ICMP errors a datagram draws into
 * these ('error' events, failed sends), so they say why no reply came; unknown codes are shown as they are.
 */
const MEANINGS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing listens there (ICMP port unreachable)',
  EHOSTUNREACH: 'the host is unreachable (ICMP host unreachable)',
  ENETUNREACH: 'the network is unreachable',
  EMSGSIZE: 'the datagram is too large to send',
  ENOBUFS: 'the send buffer is full',
  EACCES: 'not allowed (a broadcast address, or a local firewall rule)',
};

/** `ECONNREFUSED: nothing listens there (ICMP port unreachable)`. */
export function explainSocketError(code: string): string {
  const meaning = MEANINGS[code];
  return meaning === undefined ? code : `${code}: ${meaning}`;
}

/** The errno code of an error from node:dgram or node:dns, or its message when it has none. */
export function errorCode(err: Error): string {
  return (err as NodeJS.ErrnoException).code ?? err.message;
}
