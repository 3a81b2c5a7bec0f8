import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { RecvBufferInfo } from '../udp-service';
import type { FromWorker, ToWorker, WorkerCounts, WorkerData } from './worker-messages';

/** The error a worker reported when its server could not listen, with the server's own code. */
export class WorkerListenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One worker thread as the pool sees it: started with its WorkerData, asked for its counters, told to drain or
 * close. Keeps the last counters it reported, so that a pool whose worker has stopped (or does not answer in
 * time) still counts what it did.
 */
export class WorkerThreadHandle {
  readonly index: number;
  /** Resolves with the thread's exit code once it has ended, however it ended. */
  readonly exited: Promise<number>;
  /** The counters the worker last reported (its final ones once it has stopped). */
  last: WorkerCounts | undefined;
  /** The worker said its server stopped: its exit that follows is expected. */
  stopped = false;

  readonly #worker: Worker;
  readonly #waiting = new Map<number, (counts: WorkerCounts) => void>();
  #nextId = 1;

  constructor(script: string, data: WorkerData) {
    this.index = data.index;
    this.#worker = new Worker(script, { workerData: data });
    this.#worker.on('message', (message: FromWorker) => {
      if (message.type === 'counts') {
        this.last = message.counts;
        this.#waiting.get(message.id)?.(message.counts);
        this.#waiting.delete(message.id);
      } else if (message.type === 'stopped') {
        this.last = message.counts;
        this.stopped = true;
      }
    });
    this.exited = once(this.#worker, 'exit').then(([code]) => code as number);
  }

  /** Resolves once the worker's server listens; rejects with its error, or if the thread ends first. */
  async listening(): Promise<{ address: AddressInfo; recvBuffer: RecvBufferInfo }> {
    const ended = this.exited.then((code) => {
      throw new WorkerListenError('UDP_ERR_SOCKET', `worker ${this.index} ended (exit code ${code}) before listening`);
    });
    const reported = new Promise<{ address: AddressInfo; recvBuffer: RecvBufferInfo }>((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        if (message.type === 'listening') resolve(message);
        else if (message.type === 'failed') reject(new WorkerListenError(message.code, message.message));
        else return;
        this.#worker.off('message', onMessage);
      };
      this.#worker.on('message', onMessage);
    });
    return Promise.race([reported, ended]);
  }

  /** An uncaught exception in the thread (it ends after it). */
  onError(listener: (err: Error) => void): void {
    this.#worker.on('error', listener);
  }

  send(message: ToWorker): void {
    if (!this.stopped) this.#worker.postMessage(message);
  }

  /** The worker's counters now, or undefined if it does not answer within `timeoutMs` (or has stopped). */
  async counts(timeoutMs: number): Promise<WorkerCounts | undefined> {
    if (this.stopped) return undefined;
    const id = this.#nextId++;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<WorkerCounts | undefined>((resolve) => {
      this.#waiting.set(id, resolve);
      timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve(undefined);
      }, timeoutMs);
    });
    this.#worker.postMessage({ type: 'counts', id } satisfies ToWorker);
    try {
      return await answered;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the thread at once, its socket with it. */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }
}
