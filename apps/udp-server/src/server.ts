import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import type { ServerConfig } from '@ricochet/config';
import { PROTOCOL_VERSION } from '@ricochet/protocol';
import { createError } from '@ricochet/errors';
import type { Logger } from 'pino';
import { DropReason } from './drop-reasons';
import { rejectPrivilegedSourcePort, type Guard } from './guards';
import { NO_REPLY, createDatagramHandler, type DatagramHandler } from './handle-datagram';
import { Hooks, type HookName, type HookSignatures } from './hooks';
import { HEALTH_BY_STATE, LifecycleState, canTransition } from './lifecycle';
import { createRateLimiter, type RateLimiter } from './rate-limit/rate-limiter';
import { createRouter } from './routes';
import { ServerStats } from './server-stats';
import { RICOCHET_SERVICE, type Service } from './service';
import { readSocketDrops } from './socket-drops';
import { chooseSocketIo, type SocketIo } from './socket-io/choose-socket-io';
import type { DatagramSocket, SocketIoPath } from './socket-io/datagram-socket';
import type { RecvBufferInfo, UdpService } from './udp-service';
import { SERVER_VERSION } from './version';

export type { RecvBufferInfo };

export interface ServerOptions {
  readonly config: Readonly<ServerConfig>;
  readonly logger: Logger;
  /**
   * Guards run on every datagram that may be answered, before it is. Default: no privileged source ports, then the
   * rate limits of the config.
   */
  readonly guards?: readonly Guard[];
  /** Reported in HEALTH_STATUS; at most 32 bytes. */
  readonly version?: string;
  /** The message types served and their handlers (default: wire format v1, RICOCHET_SERVICE). */
  readonly service?: Service;
  /**
   * The wire version served (default PROTOCOL_VERSION). Only tests set it, to run a server of another version
   * beside this one and prove the two cannot answer each other in a loop.
   */
  readonly protocolVersion?: number;
  /** How datagrams are moved (default: as config.socketIo decides, loading the addon if it is asked for). */
  readonly socketIo?: SocketIo;
  /** Bind with SO_REUSEPORT, beside the other workers of one pod (default false). */
  readonly reusePort?: boolean;
}

/** Everything that changes over the server's life, in one place. */
interface ServerState {
  lifecycle: LifecycleState;
  socket: DatagramSocket | undefined;
  address: AddressInfo | undefined;
  recvBuffer: RecvBufferInfo | undefined;
  /** performance.now() when serving began; HEALTH reports uptime from it. */
  servingSince: number;
  drainTimer: NodeJS.Timeout | undefined;
  closing: Promise<void> | undefined;
}

/** One server: one socket, its lifecycle and its counters (WORKERS=1, or one worker thread of a pool). */
export class UdpServer implements UdpService {
  readonly stats: ServerStats;
  /** The per-source and per-prefix reply limits; undefined when the config turns both off. */
  readonly rateLimiter: RateLimiter | undefined;
  /** Settles once the server is stopped, however it got there. */
  readonly stopped: Promise<void>;

  readonly #config: Readonly<ServerConfig>;
  readonly #logger: Logger;
  readonly #hooks = new Hooks();
  readonly #handleDatagram: DatagramHandler;
  readonly #socketIo: SocketIo;
  readonly #reusePort: boolean;
  readonly #markStopped: () => void;
  readonly #state: ServerState = {
    lifecycle: LifecycleState.STARTING,
    socket: undefined,
    address: undefined,
    recvBuffer: undefined,
    servingSince: 0,
    drainTimer: undefined,
    closing: undefined,
  };

  constructor(options: ServerOptions) {
    this.#config = options.config;
    this.#logger = options.logger;
    const state = this.#state;
    const service = options.service ?? RICOCHET_SERVICE;
    this.stats = new ServerStats(service.messages);
    this.rateLimiter = createRateLimiter(options.config);
    this.#handleDatagram = createDatagramHandler({
      maxDatagramBytes: options.config.maxDatagramBytes,
      route: createRouter({
        service,
        stats: this.stats,
        protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION,
        context: {
          serverVersion: options.version ?? SERVER_VERSION,
          healthStatus: () => HEALTH_BY_STATE[state.lifecycle],
          uptimeSeconds: () => Math.floor((performance.now() - state.servingSince) / 1000),
        },
      }),
      guards: options.guards ?? [rejectPrivilegedSourcePort, ...(this.rateLimiter ? [this.rateLimiter.guard] : [])],
      stats: this.stats,
    });
    this.#socketIo = options.socketIo ?? chooseSocketIo(options.config.socketIo);
    this.#reusePort = options.reusePort ?? false;
    if (this.#socketIo.fallbackReason !== undefined) {
      this.#logger.warn(
        { socketIo: options.config.socketIo, reason: this.#socketIo.fallbackReason },
        'batched socket I/O unavailable: using dgram',
      );
    }
    let markStopped!: () => void;
    this.stopped = new Promise<void>((resolve) => (markStopped = resolve));
    this.#markStopped = markStopped;
  }

  readonly workers = 1;
  readonly failure = undefined;

  get rateLimits(): UdpService['rateLimits'] {
    return this.rateLimiter;
  }

  /** Always current: the counters are this server's own. */
  refreshStats(): Promise<void> {
    return Promise.resolve();
  }

  get state(): LifecycleState {
    return this.#state.lifecycle;
  }

  /** How this server moves datagrams, decided at start-up. */
  get socketIo(): SocketIoPath {
    return this.#socketIo.path;
  }

  get recvBuffer(): RecvBufferInfo | undefined {
    return this.#state.recvBuffer;
  }

  /** The bound address. Throws UDP_ERR_LIFECYCLE before listen() has succeeded. */
  address(): AddressInfo {
    if (this.#state.address === undefined) {
      throw createError('UDP_ERR_LIFECYCLE', 'read the address', this.#state.lifecycle, 'listening has succeeded');
    }
    return this.#state.address;
  }

  /**
   * Datagrams the kernel dropped for this socket (its receive buffer was full), from /proc/net/udp; undefined
   * before listening or where /proc does not list it.
   */
  async socketDrops(): Promise<number | undefined> {
    const address = this.#state.address;
    if (address === undefined) return undefined;
    return readSocketDrops(address.port, address.family === 'IPv6');
  }

  addHook<N extends HookName>(name: N, hook: HookSignatures[N]): this {
    this.#hooks.add(name, hook);
    return this;
  }

  /** Binds the socket and starts serving. Rejects with UDP_ERR_SOCKET when the bind fails. */
  async listen(): Promise<AddressInfo> {
    const state = this.#state;
    if (state.lifecycle !== LifecycleState.STARTING || state.socket !== undefined) {
      throw createError('UDP_ERR_LIFECYCLE', 'listen', state.lifecycle, 'starting, once');
    }
    const { host, port, maxDatagramBytes } = this.#config;
    const socket = this.#socketIo.create(
      { family: isIPv6(host) ? 6 : 4, reusePort: this.#reusePort, maxDatagramBytes },
      {
        onSendError: (code, count) => this.stats.countSendError(code, count),
        onError: (err) => this.#logger.error({ err }, 'socket error'),
      },
    );
    state.socket = socket;
    let address: AddressInfo;
    try {
      address = await socket.bind(host, port);
    } catch (err) {
      state.socket = undefined;
      await socket.close();
      this.#transition(LifecycleState.STOPPED);
      this.#markStopped();
      throw createError('UDP_ERR_SOCKET', 'bind (UDP, UDP_PORT)', `${host}:${port}`, (err as Error).message);
    }
    state.recvBuffer = this.#setRecvBuffer(socket);
    state.address = address;
    socket.start(this.#onDatagram);
    // "listening" before "starting → serving", in the same tick: supervisors, tests and tools read the port from
    // this line and may signal or send at once. Signal handlers are installed before listen() (main's
    // beforeListen), and the first datagram is read after this tick, by when the server is serving.
    this.#logger.info(
      { address, config: this.#config, recvBuffer: state.recvBuffer, socketIo: socket.path },
      'listening',
    );
    state.servingSince = performance.now();
    this.#transition(LifecycleState.SERVING);
    await this.#hooks.run('onListen', state.address);
    return state.address;
  }

  /**
   * Starts draining: HEALTH answers DRAINING at once, PING is still answered, and after the drain window the
   * socket closes. Returns the `stopped` promise. Calling it again while draining changes nothing.
   */
  drain(): Promise<void> {
    const state = this.#state;
    if (state.lifecycle === LifecycleState.DRAINING) return this.stopped;
    if (state.lifecycle !== LifecycleState.SERVING) {
      throw createError('UDP_ERR_LIFECYCLE', 'drain', state.lifecycle, 'serving');
    }
    this.#transition(LifecycleState.DRAINING, { drainSeconds: this.#config.drainSeconds });
    state.drainTimer = setTimeout(() => void this.close(), this.#config.drainSeconds * 1000);
    return this.stopped;
  }

  /** Closes the socket now, skipping any drain window left. Safe to call in any state, any number of times. */
  close(): Promise<void> {
    const state = this.#state;
    state.closing ??= this.#close();
    return state.closing;
  }

  async #close(): Promise<void> {
    const state = this.#state;
    clearTimeout(state.drainTimer);
    if (state.lifecycle === LifecycleState.STOPPED) return;
    const socket = state.socket;
    if (socket !== undefined && state.address !== undefined) {
      await this.#hooks.run('preClose');
      await socket.close();
    }
    this.#transition(LifecycleState.STOPPED, { stats: this.stats.snapshot() });
    await this.#hooks.run('onClose');
    this.#markStopped();
  }

  #transition(to: LifecycleState, details: Record<string, unknown> = {}): void {
    const from = this.#state.lifecycle;
    if (!canTransition(from, to)) {
      throw createError('UDP_ERR_LIFECYCLE', `move to ${to}`, from, `in a state that leads to ${to}`);
    }
    this.#state.lifecycle = to;
    // A server that never served stops quietly: whoever started it reports why, in one line.
    const level = from === LifecycleState.STARTING && to === LifecycleState.STOPPED ? 'debug' : 'info';
    this.#logger[level]({ from, to, ...details }, `lifecycle ${from} → ${to}`);
  }

  #setRecvBuffer(socket: DatagramSocket): RecvBufferInfo {
    const requestedBytes = this.#config.recvBufferBytes;
    const grantedBytes = socket.setRecvBufferSize(requestedBytes);
    if (grantedBytes < requestedBytes) {
      this.#logger.warn(
        { requestedBytes, grantedBytes },
        'kernel granted a smaller receive buffer than RECV_BUFFER_BYTES asked for; raise net.core.rmem_max to get it',
      );
    }
    return { requestedBytes, grantedBytes };
  }

  // An arrow property: bound once, so the per-datagram path allocates no closure.
  readonly #onDatagram: DatagramHandler = (request, length, source) => {
    const started = performance.now();
    let replyLength = NO_REPLY;
    try {
      replyLength = this.#handleDatagram(request, length, source);
    } catch {
      // Nothing a client sends may crash the server; a bug here is counted, and shows in the metrics.
      this.stats.dropped[DropReason.INTERNAL_ERROR]++;
    }
    this.stats.handlingSeconds.observe((performance.now() - started) / 1000);
    return replyLength;
  };
}

export function createServer(options: ServerOptions): UdpServer {
  return new UdpServer(options);
}
