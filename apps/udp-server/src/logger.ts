import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '@ricochet/config';
import { SERVER_VERSION } from './version';

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly service?: string;
  /** Where JSON lines go; asynchronous stdout by default (main uses StdoutDestination). */
  readonly destination?: DestinationStream;
}

/**
 * JSON lines with stable field names: level (as a word), time (ISO 8601), service, version, msg. Log agents
 * (Promtail/Alloy, the Datadog agent) read them from the container's stdout without a custom parser.
 */
export function createLogger(options: LoggerOptions): Logger {
  // Asynchronous: a slow log reader must not stall the socket. Flush before exiting (flushLogger).
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level: options.level,
      base: { service: options.service ?? 'udp-server', version: SERVER_VERSION },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: (err: unknown) => errorFields(err, options.level === 'debug' || options.level === 'trace') },
    },
    destination,
  );
}

/** Resolves once everything logged so far has been written. */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

/**
 * An error as log fields that fit on one readable line: its type, code and message, plus the stack only at debug or
 * trace level (a port in use is an operator's problem, not a programmer's).
 */
function errorFields(err: unknown, withStack: boolean): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: err.message,
    ...(withStack ? { stack: err.stack } : {}),
  };
}
