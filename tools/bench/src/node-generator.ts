// The Node load generator, kept as the fallback for a machine without a C compiler (the C one, mmsg-load.c, is
// the default). One dgram socket in the bench process, one send and one 'message' event per request, in either
// mode:
//   closed loop  keep `window` requests in flight and send the next one the moment a reply (or a timeout)
//                settles one, so the rate found is what the target sustains;
//   open loop    send at a fixed rate whatever the replies do, the way real clients arrive, paced from a 1 ms
//                timer (each tick sends what the schedule says is due, in small bursts of rate/1000).
// Everything per request lives in typed arrays allocated before the first send.
import { REQUEST_ID_OFFSET, TYPE_OFFSET } from '@ricochet/protocol';
import type { ClosedOrOpenLoad } from './c-generator';
import { takeCpuSnapshot, type CpuSnapshot } from './cpu-usage';
import { closeSocket, openGeneratorSocket, pingDatagram } from './generator-socket';
import { Phase, nodeRunResult, type RunResult, type RunTarget } from './run-result';

export interface NodeGeneratorOptions {
  readonly target: RunTarget;
  readonly load: ClosedOrOpenLoad;
  readonly payloadBytes: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  /** The window also ends after this many requests, whatever the time. */
  readonly maxRequests: number;
  /** Preallocated store for RTT samples in µs, reused run after run; its length caps how many are kept. */
  readonly samples: Float32Array;
}

/** Open loop: how often the schedule is checked. Both modes: how often unanswered requests meet the timeout. */
const TICK_MS = 1;
/** Send buffers reused round-robin; a buffer is rewritten only after this many later sends. */
const BUFFER_POOL = 1024;
/** No Node generator sends faster than this; it sizes the closed loop's table of outstanding requests. */
const MAX_RATE = 2_000_000;

/**
 * Slots in the table of outstanding requests: room for every request of one timeout period, twice over, so the
 * table wraps onto a request only once it is older than the timeout.
 */
export function tableSize(load: ClosedOrOpenLoad, timeoutMs: number): number {
  const rate = 'rate' in load ? load.rate : MAX_RATE;
  const needed = Math.max(1024, 'window' in load ? 2 * load.window : 0, Math.ceil(rate * (timeoutMs / 1000) * 2));
  return 2 ** Math.ceil(Math.log2(needed));
}

export async function runNodeGenerator(options: NodeGeneratorOptions): Promise<RunResult> {
  const { target, load, timeoutMs, maxRequests, samples } = options;
  const socket = await openGeneratorSocket(target.port);
  const template = pingDatagram(options.payloadBytes);
  const replyType = target.replyType;
  const datagramBytes = template.length;
  const pool = Array.from({ length: BUFFER_POOL }, () => Buffer.from(template));
  const closedLoop = 'window' in load;

  // Request n sits in slot n & mask until it is answered or times out; ids are the sequence numbers.
  const mask = tableSize(load, timeoutMs) - 1;
  const ids = new Uint32Array(mask + 1);
  const sentAt = new Float64Array(mask + 1);
  const inFlight = new Uint8Array(mask + 1);
  /** 1 when the slot's request was sent inside the measured window. */
  const inWindow = new Uint8Array(mask + 1);

  let phase: Phase = Phase.WARMUP;
  let nextSeq = 0;
  /** Every request before this one is settled. */
  let oldest = 0;
  let sent = 0;
  let answered = 0;
  let lost = 0;
  let replies = 0;
  let unexpected = 0;
  let sampleCount = 0;
  let windowInFlight = 0;
  let windowStart: CpuSnapshot | undefined;
  let windowEnd: CpuSnapshot | undefined;
  const startedAt = performance.now();
  const sending = (): boolean => phase === Phase.WARMUP || phase === Phase.MEASURE;

  return new Promise<RunResult>((resolve) => {
    const sendNext = (): void => {
      const seq = nextSeq++;
      const slot = seq & mask;
      if (inFlight[slot] === 1) {
        // The table wrapped onto an unanswered request: it is older than any timeout we allow, so it is lost.
        if (inWindow[slot] === 1) lost++;
        settle(slot);
      }
      const buffer = pool[seq % BUFFER_POOL]!;
      buffer.writeUInt32BE(seq >>> 0, REQUEST_ID_OFFSET);
      ids[slot] = seq;
      sentAt[slot] = performance.now();
      inFlight[slot] = 1;
      if (phase === Phase.MEASURE) {
        inWindow[slot] = 1;
        windowInFlight++;
        if (++sent >= maxRequests) endWindow();
      } else {
        inWindow[slot] = 0;
      }
      socket.send(buffer);
    };

    /** The slot's request got its reply or timed out; the closed loop sends the next in its place. */
    const settle = (slot: number): void => {
      inFlight[slot] = 0;
      if (inWindow[slot] === 1) windowInFlight--;
      if (closedLoop && sending()) sendNext();
    };

    const onReply = (reply: Buffer): void => {
      const now = performance.now();
      if (reply.length !== datagramBytes || reply[TYPE_OFFSET] !== replyType) {
        unexpected++;
        return;
      }
      const id = reply.readUInt32BE(REQUEST_ID_OFFSET);
      const slot = id & mask;
      if (inFlight[slot] === 0 || ids[slot] !== id) {
        unexpected++; // late (already counted lost) or duplicated
        return;
      }
      if (phase === Phase.MEASURE) replies++;
      if (inWindow[slot] === 1) {
        answered++;
        if (sampleCount < samples.length) samples[sampleCount++] = (now - sentAt[slot]!) * 1000;
      }
      settle(slot);
      if (phase === Phase.DRAIN && windowInFlight === 0) finish();
    };

    /** Requests settle roughly in send order, so walk from the oldest and stop at the first still waiting. */
    const expire = (now: number): void => {
      while (oldest < nextSeq) {
        const slot = oldest & mask;
        if (inFlight[slot] === 1 && ids[slot] === oldest) {
          if (now - sentAt[slot]! <= timeoutMs) break;
          if (inWindow[slot] === 1) lost++;
          settle(slot);
        }
        oldest++;
      }
    };

    const tick = (): void => {
      const now = performance.now();
      if (!closedLoop && sending()) {
        const due = Math.floor(((now - startedAt) * load.rate) / 1000);
        while (nextSeq < due && sending()) sendNext();
      }
      expire(now);
      if (phase === Phase.DRAIN && windowInFlight === 0) finish();
    };

    const startWindow = (): void => {
      windowStart = takeCpuSnapshot(target.pid);
      phase = Phase.MEASURE;
      windowTimer = setTimeout(endWindow, options.durationMs);
    };

    const endWindow = (): void => {
      if (phase !== Phase.MEASURE) return;
      windowEnd = takeCpuSnapshot(target.pid);
      phase = Phase.DRAIN;
      clearTimeout(windowTimer);
    };

    const finish = (): void => {
      if (phase === Phase.DONE) return;
      phase = Phase.DONE;
      clearInterval(ticker);
      clearTimeout(warmupTimer);
      clearTimeout(windowTimer);
      clearTimeout(deadline);
      socket.off('message', onReply);
      const start = windowStart ?? takeCpuSnapshot(target.pid);
      const end = windowEnd ?? takeCpuSnapshot(target.pid);
      const result = nodeRunResult(
        target,
        closedLoop ? 'closed-loop' : 'open-loop',
        { sent, answered, lost, replies, unexpected, samples, sampleCount },
        start,
        end,
      );
      void closeSocket(socket).then(() => resolve(result));
    };

    socket.on('message', onReply);
    let windowTimer: NodeJS.Timeout | undefined;
    const ticker = setInterval(tick, TICK_MS);
    // Bounded even if every reply and timer went astray: the run cannot outlive this.
    const deadline = setTimeout(finish, options.warmupMs + options.durationMs + timeoutMs + 5000);
    const warmupTimer = setTimeout(startWindow, options.warmupMs);
    if (closedLoop) for (let lane = 0; lane < load.window; lane++) sendNext();
  });
}
