import { formatMs, type RttSummary } from './rtt-summary';

export interface PingReport {
  /** host:port as given. */
  readonly target: string;
  /** The address the host resolved to. */
  readonly address: string;
  readonly sent: number;
  /** PINGs answered (duplicates not counted again). */
  readonly received: number;
  readonly duplicates: number;
  /** ICMP errors the socket reported (ECONNREFUSED: nothing listens) and failed sends. */
  readonly errors: number;
  readonly lossPercent: number;
  readonly elapsedMs: number;
  readonly rttMs: RttSummary | undefined;
  /** Why replies are missing, when the system says so or the payload explains it. */
  readonly why: string | undefined;
}

/** Decimals of every non-integer in the JSON summary: milliseconds to the microsecond, percentages likewise. */
const JSON_DECIMALS = 3;
const SCALE = 10 ** JSON_DECIMALS;

/** The report as one JSON line, numbers rounded to JSON_DECIMALS (float noise such as 0.30000000000000004 is not data). */
export function renderJson(report: PingReport): string {
  return JSON.stringify(report, (_key, value: unknown) =>
    typeof value === 'number' ? Math.round(value * SCALE) / SCALE : value,
  );
}

/** A percentage as ping(8) prints it (printf %g): 0, 20, 33.3333, 100. */
function formatPercent(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** The statistics block, in iputils ping's words and layout, so what parses ping's output parses this. */
export function renderSummary(report: PingReport): string {
  const counts = [
    `${report.sent} packets transmitted`,
    `${report.received} received`,
    ...(report.duplicates > 0 ? [`+${report.duplicates} duplicates`] : []),
    ...(report.errors > 0 ? [`+${report.errors} errors`] : []),
    `${formatPercent(report.lossPercent)}% packet loss`,
    `time ${Math.round(report.elapsedMs)}ms`,
  ];
  const lines = ['', `--- ${report.target} ping statistics ---`, counts.join(', ')];
  const r = report.rttMs;
  if (r !== undefined) {
    lines.push(`rtt min/avg/max/mdev = ${[r.min, r.avg, r.max, r.mdev].map(formatMs).join('/')} ms`);
    lines.push(
      r.p99 === undefined
        ? `rtt p50 = ${formatMs(r.p50)} ms`
        : `rtt p50/p99 = ${formatMs(r.p50)}/${formatMs(r.p99)} ms`,
    );
  }
  if (report.why !== undefined) {
    const lost = report.sent - report.received;
    lines.push(`${report.received === 0 ? 'no reply' : `${lost} unanswered`}: ${report.why}`);
  }
  return lines.join('\n');
}
