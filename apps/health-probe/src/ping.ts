import type { PingConfig } from '@ricochet/config';
import { HEADER_BYTES, MESSAGES, encode } from '@ricochet/protocol';
import { PingExit } from './exit-codes';
import { whyRepliesMissing } from './missing-replies';
import { renderJson, renderSummary, type PingReport } from './ping-report';
import { openProbeSocket } from './probe-socket';
import { randomRequestId } from './random-id';
import { RttSamples, formatMs } from './rtt-summary';
import { errorCode, explainSocketError } from './socket-errors';
import { tryDecode } from './try-decode';

export type Write = (text: string) => void;

export interface PingOptions {
  /** Writes one line (or block) of output. */
  readonly write: Write;
  /** Aborting it ends the run at once, with the statistics, as Ctrl-C (SIGINT) ends ping(8). */
  readonly signal?: AbortSignal;
}

export interface PingResult {
  readonly exitCode: PingExit;
  readonly report: PingReport;
}

const REQUEST = MESSAGES.byName.PING;

/** Sequence numbers remembered for matching replies and spotting duplicates (ping(8) remembers as many). */
const SEQ_WINDOW = 0x1_0000;

/**
 * ping(8) over the protocol: a PING every `intervalSeconds`, each with `size` payload bytes and its own request id,
 * a line per reply (unless quiet), then ping's statistics. A reply counts only when its id is one of the last
 * SEQ_WINDOW sent and its bytes are exactly the PING's with the type changed to PONG.
 *
 * When it ends, as ping's: with `count` alone, once every PING is answered or failed, or `timeoutSeconds` after the
 * last; with a deadline, at the deadline (or once `count` replies came); without either, when `signal` aborts.
 */
export async function runPing(config: PingConfig, { write, signal }: PingOptions): Promise<PingResult> {
  const { socket, target, address } = await openProbeSocket(config.host, config.port);
  const perReply = !config.json && !config.quiet;
  const baseId = randomRequestId();
  const payload = Buffer.alloc(config.size);
  for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
  const datagramBytes = config.size + HEADER_BYTES;
  // Per slot (sequence number modulo SEQ_WINDOW): when it was sent, and whether a reply came.
  const sentAt = new Float64Array(SEQ_WINDOW);
  const answered = new Uint8Array(SEQ_WINDOW);
  const rtts = new RttSamples();
  let sent = 0;
  let received = 0;
  let duplicates = 0;
  let errors = 0;
  let lastError: string | undefined;
  const started = performance.now();
  const { count, deadlineSeconds } = config;

  if (!config.json) write(`PING ${target} (${address}) ${config.size}(${datagramBytes}) bytes of data.`);

  try {
    await new Promise<void>((resolve) => {
      let done = false;
      let linger: NodeJS.Timeout | undefined;
      const deadline = deadlineSeconds === undefined ? undefined : setTimeout(() => finish(), deadlineSeconds * 1000);
      const finish = (): void => {
        if (done) return;
        done = true;
        clearInterval(sender);
        clearTimeout(linger);
        clearTimeout(deadline);
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      const finishWhenAccountedFor = (): void => {
        if (count === undefined) return;
        if (deadlineSeconds === undefined ? sent === count && received + errors >= count : received >= count) finish();
      };
      const onError = (err: Error): void => {
        if (done) return;
        errors++;
        lastError = errorCode(err);
        // The kernel reports an ICMP error on the next socket call, so it belongs to the latest PING, or nearly.
        if (perReply) write(`From ${target} seq=${sent}: ${explainSocketError(lastError)}`);
        finishWhenAccountedFor();
      };
      socket.on('error', onError);
      socket.on('message', (datagram: Buffer) => {
        if (done) return;
        const reply = tryDecode(datagram);
        if (reply?.type !== REQUEST.reply.type || !payload.equals(reply.payload)) return;
        const seq = (reply.requestId - baseId) >>> 0;
        if (seq >= sent || sent - seq > SEQ_WINDOW) return;
        const slot = seq % SEQ_WINDOW;
        const rtt = performance.now() - (sentAt[slot] as number);
        const duplicate = answered[slot] === 1;
        if (duplicate) duplicates++;
        else {
          answered[slot] = 1;
          received++;
          rtts.add(rtt);
        }
        if (perReply) {
          write(
            `${datagram.length} bytes from ${target}: seq=${seq + 1} time=${formatMs(rtt)} ms${duplicate ? ' (DUP!)' : ''}`,
          );
        }
        finishWhenAccountedFor();
      });
      const sendNext = (): void => {
        const seq = sent++;
        const slot = seq % SEQ_WINDOW;
        const datagram = encode({ type: REQUEST.type, requestId: (baseId + seq) >>> 0, payload });
        answered[slot] = 0;
        // After encoding: the round trip starts when the datagram leaves, not while it is being built.
        sentAt[slot] = performance.now();
        socket.send(datagram, (err) => {
          if (err) onError(err);
        });
        // With a deadline, ping(8) goes on sending until `count` replies came; without, it stops at `count` sent.
        if (count !== undefined && deadlineSeconds === undefined && sent === count) {
          clearInterval(sender);
          linger = setTimeout(finish, config.timeoutSeconds * 1000);
        }
      };
      const sender = setInterval(sendNext, config.intervalSeconds * 1000);
      signal?.addEventListener('abort', finish, { once: true });
      // Interrupted before the first PING (during name resolution, say): none is sent.
      if (signal?.aborted) return finish();
      sendNext();
    });
  } finally {
    socket.close();
  }

  const report: PingReport = {
    target,
    address,
    sent,
    received,
    duplicates,
    errors,
    lossPercent: sent === 0 ? 0 : (100 * (sent - received)) / sent,
    elapsedMs: performance.now() - started,
    rttMs: rtts.summary(),
    why: whyRepliesMissing({ sent, received, lastError, datagramBytes }),
  };
  write(config.json ? renderJson(report) : renderSummary(report));
  const enough = count === undefined || deadlineSeconds === undefined || received >= count;
  return { exitCode: received > 0 && enough ? PingExit.REPLIED : PingExit.NO_REPLY, report };
}
