import type { AddressInfo } from 'node:net';
import type { ServerConfig } from '@ricochet/config';
import { RuntimeError, createError, type ErrorCode } from '@ricochet/errors';
import type { Logger } from 'pino';
import { Hooks, type HookName, type HookSignatures } from '../hooks';
import { LifecycleState, canTransition } from '../lifecycle';
import type { HealthVerdict } from '../observability/readiness';
import { ServerStats } from '../server-stats';
import { readSocketDrops } from '../socket-drops';
import { chooseSocketIo, type SocketIo } from '../socket-io/choose-socket-io';
import type { SocketIoPath } from '../socket-io/datagram-socket';
import type { RecvBufferInfo, TableCounts, UdpService } from '../udp-service';
import { WORKER_KIND, type WorkerCounts } from './worker-messages';
import { WorkerListenError, WorkerThreadHandle } from './worker-thread-handle';

/** How long a worker has to answer a request for its counters (a scrape, readiness) before it counts as stuck. */
const ANSWER_TIMEOUT_MS = 1000;
/** After close(), how long a worker has to stop before its thread is terminated. */
const STOP_TIMEOUT_MS = 5000;

export interface WorkerPoolOptions {
  readonly config: Readonly<ServerConfig>;
  readonly logger: Logger;
  /** The script each worker thread runs: the server's bundle, whose main.ts starts a worker when it is one. */
  readonly script?: string;
  /** How datagrams are moved (default: as config.socketIo decides). */
  readonly socketIo?: SocketIo;
}

function sumTables(tables: readonly (TableCounts | undefined)[]): TableCounts | undefined {
  const present = tables.filter((table) => table !== undefined);
  if (present.length === 0) return undefined;
  return present.reduce((sum, t) => ({ size: sum.size + t.size, evictions: sum.evictions + t.evictions }), {
    size: 0,
    evictions: 0,
  });
}

/**
 * WORKERS > 1: one UdpServer per worker thread, all bound to the pod's port with SO_REUSEPORT so that the kernel
 * spreads flows (by source address and port) over them. The pool is the pod's one service: it has the lifecycle
 * (a drain reaches every worker at once, so HEALTH answers DRAINING from all of them), logs it once, sums the
 * workers' counters for the metrics and drop logs, and stops the pod if a worker thread dies.
 */
export class WorkerPool implements UdpService {
  readonly stats = new ServerStats();
  rateLimits: UdpService['rateLimits'];
  readonly stopped: Promise<void>;
  readonly workers: number;
  readonly socketIo: SocketIoPath;
  /** Why the pool stopped on its own (a worker thread died); main exits 1 then. */
  failure: Error | undefined;

  readonly #config: Readonly<ServerConfig>;
  readonly #logger: Logger;
  readonly #script: string;
  readonly #hooks = new Hooks();
  readonly #markStopped: () => void;
  readonly #threads: WorkerThreadHandle[] = [];
  #lifecycle: LifecycleState = LifecycleState.STARTING;
  #address: AddressInfo | undefined;
  #recvBuffer: RecvBufferInfo | undefined;
  #closing: Promise<void> | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(options: WorkerPoolOptions) {
    this.#config = options.config;
    this.#logger = options.logger;
    this.#script = options.script ?? __filename;
    this.workers = options.config.workers;
    // Decided here, once: the workers are told the path, and only this warns if auto fell back.
    const socketIo = options.socketIo ?? chooseSocketIo(options.config.socketIo);
    this.socketIo = socketIo.path;
    if (socketIo.fallbackReason !== undefined) {
      this.#logger.warn(
        { socketIo: options.config.socketIo, reason: socketIo.fallbackReason },
        'batched socket I/O unavailable: using dgram',
      );
    }
    let markStopped!: () => void;
    this.stopped = new Promise<void>((resolve) => (markStopped = resolve));
    this.#markStopped = markStopped;
  }

  get state(): LifecycleState {
    return this.#lifecycle;
  }

  get recvBuffer(): RecvBufferInfo | undefined {
    return this.#recvBuffer;
  }

  address(): AddressInfo {
    if (this.#address === undefined) {
      throw createError('UDP_ERR_LIFECYCLE', 'read the address', this.#lifecycle, 'listening has succeeded');
    }
    return this.#address;
  }

  async socketDrops(): Promise<number | undefined> {
    const address = this.#address;
    // Summed over every socket bound to the port: all the workers'.
    return address === undefined ? undefined : readSocketDrops(address.port, address.family === 'IPv6');
  }

  addHook<N extends HookName>(name: N, hook: HookSignatures[N]): this {
    this.#hooks.add(name, hook);
    return this;
  }

  /**
   * Starts the workers: the first binds the configured port, the others the port it got (so UDP_PORT=0 works).
   * Rejects as a single server would (UDP_ERR_SOCKET) when any of them cannot bind, with every thread ended.
   */
  async listen(): Promise<AddressInfo> {
    if (this.#lifecycle !== LifecycleState.STARTING || this.#threads.length > 0) {
      throw createError('UDP_ERR_LIFECYCLE', 'listen', this.#lifecycle, 'starting, once');
    }
    let address: AddressInfo;
    try {
      const first = this.#start(0, this.#config);
      ({ address, recvBuffer: this.#recvBuffer } = await first.listening());
      const shared = { ...this.#config, port: address.port };
      const rest = Array.from({ length: this.workers - 1 }, (_, i) => this.#start(i + 1, shared));
      await Promise.all(rest.map((thread) => thread.listening()));
    } catch (err) {
      await Promise.all(this.#threads.map((thread) => thread.terminate()));
      this.#transition(LifecycleState.STOPPED);
      this.#markStopped();
      if (err instanceof WorkerListenError) throw new RuntimeError(err.code as ErrorCode, err.message);
      throw err;
    }
    this.#address = address;
    for (const thread of this.#threads) void thread.exited.then((code) => this.#onExit(thread, code));
    // As a single server does: "listening" (the port) first, then "starting → serving", in the same tick.
    this.#logger.info(
      {
        address,
        config: this.#config,
        recvBuffer: this.#recvBuffer,
        socketIo: this.socketIo,
        workers: this.workers,
      },
      'listening',
    );
    this.#transition(LifecycleState.SERVING);
    await this.#hooks.run('onListen', address);
    return address;
  }

  /** Every worker drains at once (HEALTH answers DRAINING from each) and stops after the drain window. */
  drain(): Promise<void> {
    if (this.#lifecycle === LifecycleState.DRAINING) return this.stopped;
    if (this.#lifecycle !== LifecycleState.SERVING) {
      throw createError('UDP_ERR_LIFECYCLE', 'drain', this.#lifecycle, 'serving');
    }
    this.#transition(LifecycleState.DRAINING, { drainSeconds: this.#config.drainSeconds });
    for (const thread of this.#threads) thread.send({ type: 'drain' });
    return this.stopped;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Sums the workers' counters now; a worker that does not answer in time counts with what it last reported. */
  refreshStats(): Promise<void> {
    this.#refreshing ??= (async () => {
      await Promise.all(this.#threads.map((thread) => thread.counts(ANSWER_TIMEOUT_MS)));
      this.#sum();
    })().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** For /readyz: every worker's event loop answers, not only the one the self-check's HEALTH reaches. */
  async workersAnswer(): Promise<HealthVerdict> {
    const answers = await Promise.all(this.#threads.map((thread) => thread.counts(ANSWER_TIMEOUT_MS)));
    const silent = this.#threads.filter((_, i) => answers[i] === undefined).map((thread) => thread.index);
    return silent.length === 0
      ? { ready: true, reason: `all ${this.workers} workers answer` }
      : { ready: false, reason: `worker ${silent.join(', ')} did not answer within ${ANSWER_TIMEOUT_MS} ms` };
  }

  #start(index: number, config: Readonly<ServerConfig>): WorkerThreadHandle {
    const thread = new WorkerThreadHandle(this.#script, { kind: WORKER_KIND, index, config, socketIo: this.socketIo });
    thread.onError((err) => this.#logger.error({ err, worker: index }, 'worker thread failed'));
    this.#threads.push(thread);
    return thread;
  }

  #sum(): void {
    const counts = this.#threads.map((thread) => thread.last).filter((c): c is WorkerCounts => c !== undefined);
    this.stats.setToSum(counts.map((c) => c.stats));
    const sources = sumTables(counts.map((c) => c.sources));
    const prefixes = sumTables(counts.map((c) => c.prefixes));
    this.rateLimits = sources === undefined && prefixes === undefined ? undefined : { sources, prefixes };
  }

  /** A worker thread ended: after its server stopped, as the pool asked; or not, and then the pod stops. */
  #onExit(thread: WorkerThreadHandle, code: number): void {
    if (thread.stopped || this.#closing !== undefined) {
      if (this.#threads.every((t) => t.stopped)) void this.close();
      return;
    }
    this.failure = new Error(`worker ${thread.index} ended (exit code ${code}) while serving`);
    this.#logger.error({ worker: thread.index, code }, 'a worker thread ended while serving: stopping the pod');
    void this.close();
  }

  async #close(): Promise<void> {
    if (this.#lifecycle === LifecycleState.STOPPED) return;
    if (this.#address !== undefined) await this.#hooks.run('preClose');
    for (const thread of this.#threads) thread.send({ type: 'close' });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)));
    await Promise.race([Promise.all(this.#threads.map((thread) => thread.exited)), deadline]);
    clearTimeout(timer);
    await Promise.all(this.#threads.map((thread) => thread.terminate()));
    this.#sum();
    this.#transition(LifecycleState.STOPPED, {
      stats: this.stats.snapshot(),
      // How the kernel spread the datagrams over the sockets.
      receivedByWorker: this.#threads.map((thread) => thread.last?.stats.received.reduce((a, b) => a + b, 0) ?? 0),
    });
    await this.#hooks.run('onClose');
    this.#markStopped();
  }

  #transition(to: LifecycleState, details: Record<string, unknown> = {}): void {
    const from = this.#lifecycle;
    if (!canTransition(from, to)) {
      throw createError('UDP_ERR_LIFECYCLE', `move to ${to}`, from, `in a state that leads to ${to}`);
    }
    this.#lifecycle = to;
    const level = from === LifecycleState.STARTING && to === LifecycleState.STOPPED ? 'debug' : 'info';
    this.#logger[level]({ from, to, ...details }, `lifecycle ${from} → ${to}`);
  }
}
