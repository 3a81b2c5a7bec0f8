import { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '@ricochet/config';
export interface LoggerOptions {
    readonly level: LogLevel;
    readonly service?: string;
    /** Where JSON lines go; stdout by default. */
    readonly destination?: DestinationStream;
}
/**
 * JSON lines with stable field names: level (as a word), time (ISO 8601), service, version, msg. Log agents
 * (Promtail/Alloy, the Datadog agent) read them from the container's stdout without a custom parser.
 */
export declare function createLogger(options: LoggerOptions): Logger;
/** Resolves once everything logged so far has been written. */
export declare function flushLogger(logger: Logger): Promise<void>;
//# sourceMappingURL=logger.d.ts.map