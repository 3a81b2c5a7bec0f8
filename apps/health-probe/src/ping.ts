import { randomRequestId } from './random-id';
import type { PingConfig } from '@ricochet/config';
import { HEADER_BYTES, MESSAGES, encode } from '@ricochet/protocol';
import { ProbeExit } from './exit-codes';
import { openProbeSocket } from './probe-socket';
import { formatMs, summarise, type RttSummary } from './rtt-summary';
import { tryDecode } from './try-decode';

export interface PingReport {
  readonly target: string;
  readonly sent: number;
  readonly received: number;
  readonly duplicates: number;
  readonly lossPercent: number;
  readonly elapsedMs: number;
  readonly rttMs: RttSummary | undefined;
}

export type Write = (text: string) => void;

const REQUEST = MESSAGES.byName.PING;

/**
 * ping(8) over the protocol: `count` PINGs `intervalMs` apart, each with `size` payload bytes and its own
 * request id; prints a line per reply, then the loss and round-trip summary. A reply counts only when its id
 * is outstanding and its bytes are exactly the PING's with the type changed to PONG.
 */
export async function runPing(config: PingConfig, write: Write): Promise<{ exitCode: ProbeExit; report: PingReport }> {
  const { socket, target } = await openProbeSocket(config.host, config.port);
  const baseId = randomRequestId();
  const payload = Buffer.alloc(config.size);
  for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
  const sentAt = new Map<number, number>();
  const answered = new Set<number>();
  const rtts: number[] = [];
  let duplicates = 0;
  let sent = 0;
  const started = performance.now();

  if (!config.json)
    write(`PING ${target}: ${config.size} payload bytes, ${config.size + HEADER_BYTES} bytes per datagram`);

  try {
    await new Promise<void>((resolve) => {
      let finishTimer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearInterval(sender);
        clearTimeout(finishTimer);
        resolve();
      };
      socket.on('message', (datagram: Buffer) => {
        const reply = tryDecode(datagram);
        if (reply?.type !== REQUEST.reply.type || !payload.equals(reply.payload)) return;
        const seq = (reply.requestId - baseId) >>> 0;
        const sendTime = sentAt.get(seq);
        if (sendTime === undefined) return;
        const rtt = performance.now() - sendTime;
        const duplicate = answered.has(seq);
        if (duplicate) duplicates++;
        else {
          answered.add(seq);
          rtts.push(rtt);
        }
        if (!config.json) {
          write(
            `${datagram.length} bytes from ${target}: seq=${seq + 1} time=${formatMs(rtt)} ms${duplicate ? ' (DUP!)' : ''}`,
          );
        }
        if (sent === config.count && answered.size === config.count) finish();
      });
      socket.on('error', () => {
        // ECONNREFUSED and friends: the PING counts as lost, as in ping(8).
      });
      const sendNext = (): void => {
        const seq = sent++;
        const datagram = encode({ type: REQUEST.type, requestId: (baseId + seq) >>> 0, payload });
        sentAt.set(seq, performance.now());
        socket.send(datagram, () => undefined);
        if (sent === config.count) {
          clearInterval(sender);
          finishTimer = setTimeout(finish, config.timeoutMs);
        }
      };
      const sender = setInterval(sendNext, config.intervalMs);
      sendNext();
    });
  } finally {
    socket.close();
  }

  const report: PingReport = {
    target,
    sent,
    received: answered.size,
    duplicates,
    lossPercent: sent === 0 ? 0 : (100 * (sent - answered.size)) / sent,
    elapsedMs: performance.now() - started,
    rttMs: summarise(rtts),
  };
  write(config.json ? JSON.stringify(report) : renderSummary(report));
  return { exitCode: report.received > 0 ? ProbeExit.OK : ProbeExit.NO_ANSWER, report };
}

function renderSummary(report: PingReport): string {
  const lines = [
    `--- ${report.target} ricochet ping statistics ---`,
    `${report.sent} sent, ${report.received} received, ${report.lossPercent.toFixed(1)}% loss` +
      `${report.duplicates > 0 ? `, ${report.duplicates} duplicates` : ''}, time ${Math.round(report.elapsedMs)} ms`,
  ];
  if (report.rttMs !== undefined) {
    const r = report.rttMs;
    lines.push(`rtt min/avg/p50/p99/max = ${[r.min, r.avg, r.p50, r.p99, r.max].map(formatMs).join('/')} ms`);
  }
  return lines.join('\n');
}
