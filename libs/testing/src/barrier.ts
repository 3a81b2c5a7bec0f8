import { MessageType, decode, encode } from '@ricochet/protocol';
import type { UdpClient } from './udp-client';

export interface BarrierOptions {
  /** Datagrams to send first, in order; the replies to them are collected. */
  readonly before?: readonly Buffer[];
  /**
   * Send the barrier PING again this often until one is answered, then one last PING whose answer ends the wait:
   * for a server whose receive buffer may still be full (a flood, a stall), where the first PINGs can be dropped.
   * Without it, one PING is sent.
   */
  readonly resendMs?: number;
  /** Rejects when the last PING is not answered within this long; 10 s unless given. */
  readonly timeoutMs?: number;
  /** The server's address; the client's loopback unless given. */
  readonly host?: string;
}

export interface BarrierResult {
  /** Every datagram the client received from the call until the last PONG, but the barrier's own PONGs. */
  readonly replies: Buffer[];
  /** How many barrier PINGs were sent, and how many of them answered (each counts in the server's counters). */
  readonly pingsSent: number;
  readonly pingsAnswered: number;
}

// Far above the ids tests choose for their own PINGs, so a barrier's PONG is never mistaken for theirs.
let nextId = 0x7000_0000;

/**
 * Proves that a server has handled everything sent before: sends `before`, then a PING, and resolves at its PONG.
 * The server reads and answers in arrival order, so every reply to an earlier datagram came before that PONG:
 * no sleeping to show that something got no answer. Listens from the call on, so nothing sent to the client after
 * it is missed.
 */
export async function barrier(client: UdpClient, port: number, options: BarrierOptions = {}): Promise<BarrierResult> {
  const { before = [], resendMs, timeoutMs = 10_000, host } = options;
  const mine = new Set<number>();
  const replies: Buffer[] = [];
  let pingsSent = 0;
  let pingsAnswered = 0;
  let lastId = -1;
  let lastAnswered = false;
  let wake = (): void => undefined;

  // Rejects when the time is up or a send fails; awaited only together with what the barrier waits for.
  let timer: NodeJS.Timeout | undefined;
  let sendFailed = (_err: unknown): void => undefined;
  const failure = new Promise<never>((_, reject) => {
    sendFailed = reject;
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `barrier: no answer to the last PING to port ${port} within ${timeoutMs} ms ` +
              `(${pingsSent} sent, ${pingsAnswered} answered, ${replies.length} other datagrams received)`,
          ),
        ),
      timeoutMs,
    );
  });
  failure.catch(() => undefined);
  const until = (done: () => boolean): Promise<void> =>
    Promise.race([new Promise<void>((resolve) => (wake = () => void (done() && resolve()))), failure]);

  /** The id of one of this barrier's PONGs, or undefined for any other datagram. */
  const barrierPong = (datagram: Buffer): number | undefined => {
    try {
      const message = decode(datagram);
      return message.type === MessageType.PONG && mine.has(message.requestId) ? message.requestId : undefined;
    } catch {
      return undefined;
    }
  };
  const onMessage = (datagram: Buffer): void => {
    const id = barrierPong(datagram);
    if (id === undefined) {
      replies.push(datagram);
      return;
    }
    pingsAnswered++;
    if (id === lastId) lastAnswered = true;
    wake();
  };
  const ping = (): number => {
    const requestId = nextId++;
    mine.add(requestId);
    pingsSent++;
    client.send(encode({ type: MessageType.PING, requestId, payload: Buffer.alloc(8) }), port, host).catch(sendFailed);
    return requestId;
  };

  client.socket.on('message', onMessage);
  let resend: NodeJS.Timeout | undefined;
  try {
    for (const datagram of before) await Promise.race([client.send(datagram, port, host), failure]);
    if (resendMs !== undefined) {
      const answered = until(() => pingsAnswered > 0);
      ping();
      resend = setInterval(ping, resendMs);
      await answered;
      clearInterval(resend);
    }
    const answered = until(() => lastAnswered);
    lastId = ping();
    await answered;
    return { replies, pingsSent, pingsAnswered };
  } finally {
    clearInterval(resend);
    clearTimeout(timer);
    client.socket.off('message', onMessage);
  }
}
