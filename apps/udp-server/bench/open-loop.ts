// Open loop: send at a fixed rate whatever the replies do, the way real clients arrive, and see whether the
// target keeps up (no loss) and at what latency. Requests are paced from a 1 ms timer: each tick sends what
// the schedule says is due, so they leave in small bursts of rate/1000.
import { REQUEST_ID_OFFSET, TYPE_OFFSET } from '@ricochet/protocol';
import { takeCpuSnapshot, type CpuSnapshot } from './cpu-usage';
import { closeSocket, openGeneratorSocket, pingDatagram } from './generator-socket';
import { Phase, nodeRunResult, type RunResult, type RunTarget } from './run-result';

export interface OpenLoopOptions {
  readonly target: RunTarget;
  /** Requests per second. */
  readonly rate: number;
  readonly payloadBytes: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  readonly maxRequests: number;
  readonly samples: Float32Array;
}

const TICK_MS = 1;
/** Send buffers reused round-robin; a buffer is rewritten only after this many later sends. */
const BUFFER_POOL = 1024;

/** Slots in the table of outstanding requests: room for every request of one timeout period, twice over. */
function tableSize(rate: number, timeoutMs: number): number {
  const needed = Math.max(1024, Math.ceil(rate * (timeoutMs / 1000) * 2));
  return 2 ** Math.ceil(Math.log2(needed));
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<RunResult> {
  const { target, rate, timeoutMs, maxRequests, samples } = options;
  const socket = await openGeneratorSocket(target.port);
  const template = pingDatagram(options.payloadBytes);
  const replyType = target.replyType;
  const datagramBytes = template.length;
  const pool = Array.from({ length: BUFFER_POOL }, () => Buffer.from(template));

  // Request n sits in slot n & mask until it is answered or times out; ids are the sequence numbers.
  const size = tableSize(rate, timeoutMs);
  const mask = size - 1;
  const ids = new Uint32Array(size);
  const sentAt = new Float64Array(size);
  const inFlight = new Uint8Array(size);
  const inWindow = new Uint8Array(size);

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

  return new Promise<RunResult>((resolve) => {
    const settle = (slot: number): void => {
      inFlight[slot] = 0;
      if (inWindow[slot] === 1) windowInFlight--;
    };

    const sendNext = (): void => {
      const seq = nextSeq++;
      const slot = seq & mask;
      if (inFlight[slot] === 1) {
        // The table wrapped onto an unanswered request: it is older than any timeout we allow, so it is lost.
        if (inWindow[slot] === 1) lost++;
        settle(slot);
      }
      const buffer = pool[seq % BUFFER_POOL]!;
      buffer.writeUInt32BE(seq, REQUEST_ID_OFFSET);
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

    const onReply = (reply: Buffer): void => {
      const now = performance.now();
      if (reply.length !== datagramBytes || reply[TYPE_OFFSET] !== replyType) {
        unexpected++;
        return;
      }
      const id = reply.readUInt32BE(REQUEST_ID_OFFSET);
      const slot = id & mask;
      if (inFlight[slot] === 0 || ids[slot] !== id) {
        unexpected++;
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
      if (phase === Phase.WARMUP || phase === Phase.MEASURE) {
        const due = Math.floor(((now - startedAt) * rate) / 1000);
        while (nextSeq < due && (phase === Phase.WARMUP || phase === Phase.MEASURE)) sendNext();
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
        'open-loop',
        { sent, answered, lost, replies, unexpected, samples, sampleCount },
        start,
        end,
      );
      void closeSocket(socket).then(() => resolve(result));
    };

    socket.on('message', onReply);
    let windowTimer: NodeJS.Timeout | undefined;
    const ticker = setInterval(tick, TICK_MS);
    const deadline = setTimeout(finish, options.warmupMs + options.durationMs + timeoutMs + 5000);
    const warmupTimer = setTimeout(startWindow, options.warmupMs);
  });
}
