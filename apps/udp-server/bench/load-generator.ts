// Closed loop: keep `window` requests in flight and send the next one the moment a reply (or a timeout) frees
// a lane, so the rate found is what the target sustains. Everything per request lives in typed arrays
// allocated before the first send; the hot path writes into them and into one reused buffer per lane.
import { REQUEST_ID_OFFSET, TYPE_OFFSET } from '@ricochet/protocol';
import { takeCpuSnapshot, type CpuSnapshot } from './cpu-usage';
import { closeSocket, openGeneratorSocket, pingDatagram } from './generator-socket';
import { Phase, nodeRunResult, type RunResult, type RunTarget } from './run-result';

export interface ClosedLoopOptions {
  readonly target: RunTarget;
  readonly window: number;
  readonly payloadBytes: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  /** The window also ends after this many requests, whatever the time. */
  readonly maxRequests: number;
  /** Preallocated store for RTT samples in µs, reused run after run; its length caps how many are kept. */
  readonly samples: Float32Array;
}

/** How often unanswered requests are checked against the timeout. */
const SWEEP_MS = 50;

export async function runClosedLoop(options: ClosedLoopOptions): Promise<RunResult> {
  const { target, window: lanes, timeoutMs, maxRequests, samples } = options;
  const socket = await openGeneratorSocket(target.port);
  const template = pingDatagram(options.payloadBytes);
  const replyType = target.replyType;
  const datagramBytes = template.length;

  // Lane i carries requests i, i + lanes, i + 2·lanes, …: ids are unique in the run, and id % lanes finds the lane.
  const buffers = Array.from({ length: lanes }, () => Buffer.from(template));
  const laneId = new Uint32Array(lanes);
  const sentAt = new Float64Array(lanes);
  const inFlight = new Uint8Array(lanes);
  /** 1 when the lane's request was sent inside the measured window. */
  const inWindow = new Uint8Array(lanes);

  let phase: Phase = Phase.WARMUP;
  let sent = 0;
  let answered = 0;
  let lost = 0;
  let replies = 0;
  let unexpected = 0;
  let sampleCount = 0;
  let windowInFlight = 0;
  let windowStart: CpuSnapshot | undefined;
  let windowEnd: CpuSnapshot | undefined;

  return new Promise<RunResult>((resolve) => {
    const send = (lane: number, id: number, now: number): void => {
      const buffer = buffers[lane]!;
      buffer.writeUInt32BE(id, REQUEST_ID_OFFSET);
      laneId[lane] = id;
      sentAt[lane] = now;
      inFlight[lane] = 1;
      if (phase === Phase.MEASURE) {
        inWindow[lane] = 1;
        windowInFlight++;
        if (++sent >= maxRequests) endWindow();
      } else {
        inWindow[lane] = 0;
      }
      socket.send(buffer);
    };

    /** The lane's request is settled (answered or lost): reuse the lane, or finish once the window has drained. */
    const retire = (lane: number, now: number): void => {
      inFlight[lane] = 0;
      if (inWindow[lane] === 1) windowInFlight--;
      if (phase === Phase.WARMUP || phase === Phase.MEASURE) send(lane, laneId[lane]! + lanes, now);
      else if (phase === Phase.DRAIN && windowInFlight === 0) finish();
    };

    const onReply = (reply: Buffer): void => {
      const now = performance.now();
      if (reply.length !== datagramBytes || reply[TYPE_OFFSET] !== replyType) {
        unexpected++;
        return;
      }
      const id = reply.readUInt32BE(REQUEST_ID_OFFSET);
      const lane = id % lanes;
      if (inFlight[lane] === 0 || laneId[lane] !== id) {
        unexpected++; // late (already counted lost) or duplicated
        return;
      }
      if (phase === Phase.MEASURE) replies++;
      if (inWindow[lane] === 1) {
        answered++;
        if (sampleCount < samples.length) samples[sampleCount++] = (now - sentAt[lane]!) * 1000;
      }
      retire(lane, now);
    };

    const sweep = (): void => {
      const now = performance.now();
      for (let lane = 0; lane < lanes; lane++) {
        if (inFlight[lane] === 1 && now - sentAt[lane]! > timeoutMs) {
          if (inWindow[lane] === 1) lost++;
          retire(lane, now);
        }
      }
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
      if (windowInFlight === 0) finish();
    };

    const finish = (): void => {
      if (phase === Phase.DONE) return;
      phase = Phase.DONE;
      clearInterval(sweeper);
      clearTimeout(warmupTimer);
      clearTimeout(windowTimer);
      clearTimeout(deadline);
      socket.off('message', onReply);
      const start = windowStart ?? takeCpuSnapshot(target.pid);
      const end = windowEnd ?? takeCpuSnapshot(target.pid);
      const result = nodeRunResult(
        target,
        'closed-loop',
        { sent, answered, lost, replies, unexpected, samples, sampleCount },
        start,
        end,
      );
      void closeSocket(socket).then(() => resolve(result));
    };

    socket.on('message', onReply);
    const sweeper = setInterval(sweep, SWEEP_MS);
    let windowTimer: NodeJS.Timeout | undefined;
    // Bounded even if every reply and timer went astray: the run cannot outlive this.
    const deadline = setTimeout(finish, options.warmupMs + options.durationMs + timeoutMs + 5000);
    const warmupTimer = setTimeout(startWindow, options.warmupMs);
    const now = performance.now();
    for (let lane = 0; lane < lanes; lane++) send(lane, lane, now);
  });
}
