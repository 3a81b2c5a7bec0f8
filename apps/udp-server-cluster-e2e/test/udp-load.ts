import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { HEADER_BYTES, MessageType, REQUEST_ID_OFFSET, TYPE_OFFSET, encode } from '@ricochet/protocol';

/**
 * A steady PING load from the host, as many clients would send it: several sockets (each its own source port,
 * so kube-proxy's conntrack spreads them over the endpoints), a fixed total rate, every reply matched to its
 * request by id. What a rollout or a deleted pod costs is read off the report.
 */
export interface LoadOptions {
  readonly host: string;
  readonly port: number;
  readonly sockets?: number;
  readonly ratePerSecond?: number;
  /** A reply later than this after its request counts as lost. */
  readonly replyTimeoutMs?: number;
}

export interface LoadReport {
  readonly sent: number;
  readonly answered: number;
  readonly lost: number;
  /** Seconds from the start at which lost requests were sent (rounded to 0.1 s). */
  readonly lostAt: readonly number[];
  /** Lost requests per socket: a socket whose conntrack entry points at a gone pod loses all it sends. */
  readonly lostPerSocket: readonly number[];
  /** The longest time, while sending, with no reply arriving at all. */
  readonly longestSilenceMs: number;
  readonly durationMs: number;
}

export interface RunningLoad {
  /** Replies so far (for "wait until traffic flows"). */
  answered(): number;
  stop(): Promise<LoadReport>;
}

const TICK_MS = 10;
const PAYLOAD = Buffer.alloc(8);

/**
 * Resolves once one PING is answered, trying from one socket for up to `timeoutMs`. helm's --wait ends when the
 * pods are Ready, which can be before kube-proxy has written the NodePort's rules: a load started then loses its
 * first datagrams to a Service the node does not know yet.
 */
export async function untilAnswering(host: string, port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await pingCount(host, port, 1, 250)) === 1) return;
  }
  throw new Error(`${host}:${port} answered no PING in ${timeoutMs} ms`);
}

export async function startLoad(options: LoadOptions): Promise<RunningLoad> {
  await untilAnswering(options.host, options.port);
  const socketCount = options.sockets ?? 16;
  const rate = options.ratePerSecond ?? 400;
  const replyTimeoutMs = options.replyTimeoutMs ?? 1_000;
  const sockets: Socket[] = [];
  for (let i = 0; i < socketCount; i++) {
    const socket = createSocket('udp4');
    socket.bind(0, '0.0.0.0');
    await once(socket, 'listening');
    sockets.push(socket);
  }
  const started = performance.now();
  const sentAt: number[] = [];
  const answeredAt: number[] = [];
  let answered = 0;
  let lastReply = started;
  let longestSilenceMs = 0;
  let sending = true;
  let onAllAnswered: (() => void) | undefined;

  for (const socket of sockets) {
    socket.on('message', (message: Buffer) => {
      if (message.length < HEADER_BYTES || message[TYPE_OFFSET] !== MessageType.PONG) return;
      const id = message.readUInt32BE(REQUEST_ID_OFFSET);
      const sent = sentAt[id];
      if (sent === undefined || answeredAt[id] !== undefined) return;
      const now = performance.now();
      answeredAt[id] = now;
      if (now - sent <= replyTimeoutMs) answered++;
      if (sending) longestSilenceMs = Math.max(longestSilenceMs, now - lastReply);
      lastReply = now;
      if (answered === sentAt.length) onAllAnswered?.();
    });
  }

  let owed = 0;
  const timer = setInterval(() => {
    owed += (rate * TICK_MS) / 1000;
    for (; owed >= 1; owed--) {
      const id = sentAt.length;
      sentAt.push(performance.now());
      const socket = sockets[id % socketCount]!;
      socket.send(encode({ type: MessageType.PING, requestId: id, payload: PAYLOAD }), options.port, options.host);
    }
  }, TICK_MS);

  return {
    answered: () => answered,
    async stop(): Promise<LoadReport> {
      clearInterval(timer);
      sending = false;
      const stoppedAt = performance.now();
      if (answered < sentAt.length) {
        // The last requests' replies, up to the reply timeout.
        await new Promise<void>((resolve) => {
          onAllAnswered = resolve;
          setTimeout(resolve, replyTimeoutMs).unref();
        });
      }
      for (const socket of sockets) socket.close();
      const lostIds = sentAt
        .map((_, id) => id)
        .filter((id) => {
          const reply = answeredAt[id];
          return reply === undefined || reply - sentAt[id]! > replyTimeoutMs;
        });
      const lostPerSocket = Array.from({ length: socketCount }, () => 0);
      for (const id of lostIds) lostPerSocket[id % socketCount]!++;
      return {
        sent: sentAt.length,
        answered,
        lost: lostIds.length,
        lostAt: lostIds.map((id) => Math.round((sentAt[id]! - started) / 100) / 10),
        lostPerSocket,
        longestSilenceMs: Math.round(Math.max(longestSilenceMs, stoppedAt - lastReply)),
        durationMs: Math.round(stoppedAt - started),
      };
    },
  };
}

/**
 * Sends `count` PINGs from one socket, one after the other, each awaiting its PONG for up to `timeoutMs`;
 * resolves with how many were answered.
 */
export async function pingCount(host: string, port: number, count: number, timeoutMs = 1_000): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '0.0.0.0');
  await once(socket, 'listening');
  let answered = 0;
  try {
    for (let id = 1; id <= count; id++) {
      const reply = waitForPong(socket, id, timeoutMs);
      socket.send(encode({ type: MessageType.PING, requestId: id, payload: PAYLOAD }), port, host);
      if (await reply) answered++;
    }
  } finally {
    socket.close();
  }
  return answered;
}

function waitForPong(socket: Socket, id: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onMessage = (message: Buffer): void => {
      if (
        message.length >= HEADER_BYTES &&
        message[TYPE_OFFSET] === MessageType.PONG &&
        message.readUInt32BE(REQUEST_ID_OFFSET) === id
      ) {
        done(true);
      }
    };
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(ok);
    };
    socket.on('message', onMessage);
  });
}
