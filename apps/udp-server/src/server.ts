import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import type { ServerConfig } from '@ricochet/config';
import { PROTOCOL_VERSION } from '@ricochet/protocol';
import { createError } from '@ricochet/errors';
import type { Logger } from 'pino';
import { DropReason } from './drop-reasons';
import { rejectPrivilegedSourcePort, type Guard } from './guards';
import { createDatagramHandler, type DatagramHandler, type SendReply } from './handle-datagram';
import { Hooks, type HookName, type HookSignatures } from './hooks';
import { HEALTH_BY_STATE, LifecycleState, canTransition } from './lifecycle';
import { literalAddressLookup } from './literal-lookup';
import { createRateLimiter, type RateLimiter } from './rate-limit/rate-limiter';
import { createRouter } from './routes';
import { ServerStats } from './server-stats';
import { RICOCHET_SERVICE, type Service } from './service';
import { readSocketDrops } from './socket-drops';
import { SERVER_VERSION } from './version';

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
}

export interface RecvBufferInfo {
  readonly requestedBytes: number;
  /** What the kernel reports after the request (Linux doubles the request, capped by net.core.rmem_max). */
  readonly grantedBytes: number;
}

/** Everything that changes over the server's life, in one place. */
interface ServerState {
  lifecycle: LifecycleState;
  socket: Socket | undefined;
  address: AddressInfo | undefined;
  recvBuffer: RecvBufferInfo | undefined;
  /** performance.now() when serving began; HEALTH reports uptime from it. */
  servingSince: number;
  drainTimer: NodeJS.Timeout | undefined;
  /** Settles a pending listen() when the bind fails. */
  rejectBind: ((err: Error) => void) | undefined;
  closing: Promise<void> | undefined;
}

export class UdpServer {
  readonly stats: ServerStats;
  /** The per-source and per-prefix reply limits; undefined when the config turns both off. */
  readonly rateLimiter: RateLimiter | undefined;
  /** Settles once the server is stopped, however it got there. */
  readonly stopped: Promise<void>;

  readonly #config: Readonly<ServerConfig>;
  readonly #logger: Logger;
  readonly #hooks = new Hooks();
  readonly #handleDatagram: DatagramHandler;
  readonly #markStopped: () => void;
  readonly #state: ServerState = {
    lifecycle: LifecycleState.STARTING,
    socket: undefined,
    address: undefined,
    recvBuffer: undefined,
    servingSince: 0,
    drainTimer: undefined,
    rejectBind: undefined,
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
      send: this.#send,
    });
    let markStopped!: () => void;
    this.stopped = new Promise<void>((resolve) => (markStopped = resolve));
    this.#markStopped = markStopped;
  }

  get state(): LifecycleState {
    return this.#state.lifecycle;
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
    const { host, port } = this.#config;
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', lookup: literalAddressLookup });
    state.socket = socket;
    socket.on('error', this.#onSocketError);
    try {
      await new Promise<void>((resolve, reject) => {
        state.rejectBind = reject;
        socket.bind({ address: host, port, exclusive: true }, resolve);
      });
    } catch (err) {
      state.rejectBind = undefined;
      state.socket = undefined;
      socket.close();
      this.#transition(LifecycleState.STOPPED);
      this.#markStopped();
      throw createError('UDP_ERR_SOCKET', 'bind (UDP, UDP_PORT)', `${host}:${port}`, (err as Error).message);
    }
    state.rejectBind = undefined;
    state.recvBuffer = this.#setRecvBuffer(socket);
    state.address = socket.address();
    socket.on('message', this.#onMessage);
    // "listening" before "starting → serving", in the same tick: supervisors, tests and tools read the port from
    // this line and may signal or send at once. Signal handlers are installed before listen() (main's
    // beforeListen), and the first datagram is read after this tick, by when the server is serving.
    this.#logger.info({ address: state.address, config: this.#config, recvBuffer: state.recvBuffer }, 'listening');
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
      await new Promise<void>((resolve) => socket.close(resolve));
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

  #setRecvBuffer(socket: Socket): RecvBufferInfo {
    const requestedBytes = this.#config.recvBufferBytes;
    socket.setRecvBufferSize(requestedBytes);
    const grantedBytes = socket.getRecvBufferSize();
    if (grantedBytes < requestedBytes) {
      this.#logger.warn(
        { requestedBytes, grantedBytes },
        'kernel granted a smaller receive buffer than RECV_BUFFER_BYTES asked for; raise net.core.rmem_max to get it',
      );
    }
    return { requestedBytes, grantedBytes };
  }

  // Arrow properties: bound once, so the per-datagram path allocates no closures.
  readonly #onMessage = (request: Buffer, remote: RemoteInfo): void => {
    const started = performance.now();
    try {
      this.#handleDatagram(request, remote);
    } catch {
      // Nothing a client sends may crash the server; a bug here is counted, and shows in the metrics.
      this.stats.dropped[DropReason.INTERNAL_ERROR]++;
    }
    this.stats.handlingSeconds.observe((performance.now() - started) / 1000);
  };

  readonly #send: SendReply = (reply, length, remote, replyKind) => {
    this.stats.replies[replyKind]++;
    try {
      // The whole buffer (every PONG) needs no offset and length: dgram would wrap it in another Buffer.
      if (length === reply.length) this.#state.socket?.send(reply, remote.port, remote.address, this.#onSent);
      else this.#state.socket?.send(reply, 0, length, remote.port, remote.address, this.#onSent);
    } catch (err) {
      // dgram throws synchronously for some failures (a closed socket, a bad port) and calls back for the rest.
      this.#onSent(err as Error);
    }
  };

  readonly #onSent = (err: Error | null): void => {
    if (err !== null) this.stats.countSendError((err as NodeJS.ErrnoException).code ?? 'UNKNOWN');
  };

  readonly #onSocketError = (err: Error): void => {
    if (this.#state.rejectBind !== undefined) {
      this.#state.rejectBind(err);
      return;
    }
    this.#logger.error({ err }, 'socket error');
  };
}

export function createServer(options: ServerOptions): UdpServer {
  return new UdpServer(options);
}
