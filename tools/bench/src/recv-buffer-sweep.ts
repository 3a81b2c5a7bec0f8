// Past capacity, the socket receive buffer decides between loss and latency: a large one queues datagrams
// (each waits behind everything already queued), a small one drops them at once. This section runs the server
// once per RECV_BUFFER_BYTES value, offers more than it can answer, and reports what each size cost.
import { readFileSync } from 'node:fs';
import type { RunResult, RunTarget } from './run-result';
import type { TargetProcess } from './child-process';

export interface RecvBufferRow {
  /** RECV_BUFFER_BYTES as set. */
  readonly requestedBytes: number;
  /** What Linux grants: twice the request (its bookkeeping share), capped at twice net.core.rmem_max. */
  readonly grantedBytes: number;
  readonly offeredPerSecond: number;
  readonly result: RunResult;
}

export interface RecvBufferSweep {
  /** Requests/s offered to every size: --overload-factor × the server's median closed-loop replies/s. */
  readonly rate: number;
  readonly rmemMaxBytes: number | undefined;
  readonly rows: readonly RecvBufferRow[];
}

/** net.core.rmem_max, the ceiling on what a socket may ask for without CAP_NET_ADMIN; undefined off Linux. */
export function readRmemMax(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim());
  } catch {
    return undefined;
  }
}

export function grantedBytes(requested: number, rmemMax: number | undefined): number {
  return 2 * (rmemMax === undefined ? requested : Math.min(requested, rmemMax));
}

/**
 * For each size: start the server with that RECV_BUFFER_BYTES, run one open-loop window at `rate`, stop it.
 * Sizes run in the order given; the machine's drift falls on them in that order, so repeat the section to
 * see the spread.
 */
export async function runRecvBufferSweep(
  sizes: readonly number[],
  rate: number,
  startServer: (recvBufferBytes: number) => Promise<TargetProcess>,
  run: (target: RunTarget, load: { rate: number }) => Promise<RunResult>,
  progress: (text: string) => void,
): Promise<RecvBufferSweep> {
  const rmemMaxBytes = readRmemMax();
  const rows: RecvBufferRow[] = [];
  for (const requestedBytes of sizes) {
    const server = await startServer(requestedBytes);
    try {
      const result = await run(server, { rate });
      rows.push({
        requestedBytes,
        grantedBytes: grantedBytes(requestedBytes, rmemMaxBytes),
        offeredPerSecond: result.sent / result.seconds,
        result,
      });
      progress(
        `overload ${rate}/s, RECV_BUFFER_BYTES=${requestedBytes}: lost ${result.lost}/${result.sent} ` +
          `(${result.lossPercent.toFixed(1)}%), p50 ${result.rttUs.p50.toFixed(0)} µs, p99 ${result.rttUs.p99.toFixed(0)} µs`,
      );
    } finally {
      await server.stop();
    }
  }
  return { rate, rmemMaxBytes, rows };
}
