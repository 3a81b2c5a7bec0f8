import pino, { type DestinationStream } from 'pino';

type SonicBoom = ReturnType<typeof pino.destination>;

/**
 * The logger's stdout: synchronous while starting, asynchronous once serving.
 *
 * Start-up writes a handful of lines, and a failed start must show all of them in order. Asynchronously that is not
 * guaranteed: pino's fatal() flushes synchronously, past a write still in flight, so "could not start" could come
 * out before the line logged just before it. Once serving, writes are asynchronous so that a slow log reader never
 * stalls the socket.
 */
export class StdoutDestination implements DestinationStream {
  readonly #sync: SonicBoom = pino.destination({ dest: 1, sync: true });
  #async: SonicBoom | undefined;

  write(line: string): void {
    (this.#async ?? this.#sync).write(line);
  }

  /** Switches to asynchronous writes; nothing is pending, since every earlier write was synchronous. */
  goAsynchronous(): void {
    this.#async ??= pino.destination({ dest: 1, sync: false });
  }

  /** Calls back once everything written so far is out (pino's logger.flush() calls this). */
  flush(callback: (err?: Error) => void): void {
    if (this.#async === undefined) callback();
    else this.#async.flush(callback);
  }
}
