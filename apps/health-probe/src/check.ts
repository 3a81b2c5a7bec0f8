import { randomRequestId } from './random-id';
import type { CheckConfig } from '@ricochet/config';
import {
  HealthStatus,
  MESSAGES,
  encode,
  healthStatuses,
  paddedHealthRequest,
  wireErrors,
  type Message,
} from '@ricochet/protocol';
import { ProbeExit } from './exit-codes';
import { openProbeSocket } from './probe-socket';
import { errorCode, explainSocketError } from './socket-errors';
import { tryDecode } from './try-decode';

export interface CheckResult {
  readonly exitCode: ProbeExit;
  /** One line saying what the probe saw. */
  readonly line: string;
}

// What a check sends, and the answers it can get: the HEALTH request's own reply, or the ERROR of a server that
// speaks another version. Any other datagram is not an answer and is ignored.
const REQUEST = MESSAGES.byName.HEALTH;
const ERROR = MESSAGES.byName.ERROR;

/** Requests sent per timeout: a lost datagram costs a quarter of the budget, not all of it. */
const ATTEMPTS_PER_TIMEOUT = 4;
const MIN_RETRY_MS = 50;

/**
 * One HEALTH exchange: sends a padded HEALTH request, resends it (with a new id) until a valid answer to any of
 * them arrives or `timeoutMs` runs out, and judges the answer against `expect`.
 */
export async function runCheck(config: CheckConfig): Promise<CheckResult> {
  const started = performance.now();
  const { socket, target } = await openProbeSocket(config.host, config.port);
  const retryMs = Math.max(MIN_RETRY_MS, Math.floor(config.timeoutMs / ATTEMPTS_PER_TIMEOUT));
  const sent = new Set<number>();
  let nextId = randomRequestId();
  let lastError: string | undefined;

  try {
    return await new Promise<CheckResult>((resolve) => {
      const finish = (result: CheckResult): void => {
        clearInterval(retry);
        clearTimeout(deadline);
        resolve(result);
      };
      const send = (): void => {
        const id = nextId;
        nextId = (nextId + 1) >>> 0;
        sent.add(id);
        socket.send(encode(paddedHealthRequest(id)), (err) => {
          if (err) lastError = errorCode(err);
        });
      };
      socket.on('message', (datagram: Buffer) => {
        const answer = tryDecode(datagram);
        if (answer === undefined || !sent.has(answer.requestId)) return;
        const verdict = judge(answer, config.expect);
        if (verdict === undefined) return;
        const ms = (performance.now() - started).toFixed(1);
        finish({
          exitCode: verdict.exitCode,
          line: `${verdict.label}: ${target} ${verdict.saw} in ${ms} ms (attempt ${sent.size})`,
        });
      });
      // A connected socket reports ICMP port unreachable as ECONNREFUSED; keep retrying until the deadline.
      socket.on('error', (err: Error) => {
        lastError = errorCode(err);
      });
      const retry = setInterval(send, retryMs);
      const deadline = setTimeout(() => {
        const why = lastError === undefined ? 'no reply' : explainSocketError(lastError);
        finish({
          exitCode: ProbeExit.NO_ANSWER,
          line: `no answer: ${target} gave no valid reply to ${sent.size} ${REQUEST.name} requests in ${config.timeoutMs} ms (${why})`,
        });
      }, config.timeoutMs);
      send();
    });
  } finally {
    socket.close();
  }
}

interface Verdict {
  readonly exitCode: ProbeExit;
  readonly label: string;
  readonly saw: string;
}

function judge(answer: Message, expect: CheckConfig['expect']): Verdict | undefined {
  if (answer.type === REQUEST.reply.type) {
    const status = healthStatuses.toString(answer.status);
    const saw = `answered ${status} (server ${answer.serverVersion || 'unknown'}, up ${answer.uptimeSeconds} s)`;
    if (answer.status === HealthStatus.SERVING)
      return { exitCode: ProbeExit.OK, label: expect === 'serving' ? 'serving' : 'alive', saw };
    if (expect === 'alive') return { exitCode: ProbeExit.OK, label: 'alive', saw };
    return { exitCode: ProbeExit.UNHEALTHY, label: 'not serving', saw };
  }
  if (answer.type === ERROR.type) {
    const error = wireErrors.toString(answer.errorCode);
    const saw = `answered ${ERROR.name} ${error} (it speaks version ${answer.supportedVersion})`;
    return expect === 'alive'
      ? { exitCode: ProbeExit.OK, label: 'alive', saw }
      : { exitCode: ProbeExit.UNHEALTHY, label: 'not serving', saw };
  }
  return undefined;
}
