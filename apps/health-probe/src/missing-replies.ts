import { serverSettings } from '@ricochet/config';
import { HEADER_BYTES } from '@ricochet/protocol';
import { explainSocketError } from './socket-errors';

/** The largest datagram a server with the default MAX_DATAGRAM_BYTES answers; it drops bigger ones. */
const SERVER_DEFAULT_LIMIT = serverSettings.maxDatagramBytes.default;

export interface RunOutcome {
  readonly sent: number;
  readonly received: number;
  /** The errno of the last socket error, if any came. */
  readonly lastError: string | undefined;
  readonly datagramBytes: number;
}

/**
 * Why replies are missing, when something says so: the kernel (an ICMP error on the connected socket, such as
 * ECONNREFUSED when nothing listens), or the protocol (a datagram over what a default server answers, which it
 * drops silently). Plain loss has no known cause: undefined.
 */
export function whyRepliesMissing(outcome: RunOutcome): string | undefined {
  if (outcome.received === outcome.sent) return undefined;
  if (outcome.lastError !== undefined) return explainSocketError(outcome.lastError);
  if (outcome.received === 0 && outcome.datagramBytes > SERVER_DEFAULT_LIMIT) {
    return (
      `payload over the server's default limit of ${SERVER_DEFAULT_LIMIT} bytes? Each PING is ` +
      `${outcome.datagramBytes} bytes; the server drops bigger datagrams than its MAX_DATAGRAM_BYTES ` +
      `(-s ${SERVER_DEFAULT_LIMIT - HEADER_BYTES} fits the default)`
    );
  }
  return undefined;
}
