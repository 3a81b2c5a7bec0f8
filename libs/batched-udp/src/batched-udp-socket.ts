import type { AddressInfo } from 'node:net';
import { errnoName } from './errno-names';
import {
  ADDRESS_WORDS,
  DEFAULT_BATCH_SIZE,
  META_ADDRESS,
  META_FAMILY,
  META_LENGTH,
  META_PORT,
  META_WORDS,
  SEND_WORDS,
} from './layout';
import type { NativeBinding, NativeError, NativeSocket } from './native-binding';

export interface BatchedUdpSocketOptions {
  readonly family: 4 | 6;
  /** Datagrams moved per system call at most (default 64). */
  readonly batchSize?: number;
  /**
   * Bytes kept of each datagram. A longer one still reports its whole length (lengthOf) but only this much of it
   * is kept; a caller that drops datagrams over some size makes this that size plus one, or more.
   */
  readonly slotBytes: number;
  /**
   * Called once per datagram of a batch, in arrival order, with its slot: the datagram is the first
   * `lengthOf(slot)` bytes of `slots[slot]`. Returns the length of a reply written over it, which is sent back to
   * the datagram's source once the whole batch has been seen, or 0 for no reply. Must not throw.
   */
  readonly onDatagram: (slot: number) => number;
  /** Datagrams a system call failed for, by errno code (EAGAIN, ENOBUFS, …): `count` of them, at once. */
  readonly onError: (code: string, syscall: string, count: number) => void;
}

export interface BindOptions {
  readonly address: string;
  readonly port: number;
  /** SO_REUSEPORT: several sockets (workers) bind the same port and the kernel spreads flows over them. */
  readonly reusePort?: boolean;
}

/** A failed system call, coded like Node's own (`err.code === 'EADDRINUSE'`, `err.syscall === 'bind'`). */
export class BatchedUdpError extends Error {
  readonly code: string;
  readonly syscall: string;
  readonly errno: number | undefined;

  constructor(cause: NativeError) {
    const code = cause.errno === undefined ? (cause.code ?? 'UNKNOWN') : errnoName(cause.errno);
    const syscall = cause.syscall ?? 'batched-udp';
    super(`${syscall} ${code}: ${cause.message}`, { cause });
    this.name = 'BatchedUdpError';
    this.code = code;
    this.syscall = syscall;
    this.errno = cause.errno;
  }
}

function native<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    throw new BatchedUdpError(err as NativeError);
  }
}

/**
 * A UDP socket that reads and writes datagrams in batches (recvmmsg/sendmmsg) in memory shared with the native
 * side, allocated once here: `slots` (one Buffer per datagram of a batch) and a meta record per slot. Nothing
 * is allocated per datagram. Not a drop-in for dgram: datagrams are only ever answered, in place.
 */
export class BatchedUdpSocket {
  /** One view per slot, each `slotBytes` long; a datagram is the first lengthOf(slot) bytes of its slot. */
  readonly slots: readonly Buffer[];
  readonly batchSize: number;
  readonly slotBytes: number;
  readonly family: 4 | 6;

  readonly #meta: Uint32Array;
  readonly #native: NativeSocket;
  #address: AddressInfo | undefined;

  constructor(binding: NativeBinding, options: BatchedUdpSocketOptions) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.batchSize = batchSize;
    this.slotBytes = options.slotBytes;
    this.family = options.family;
    const data = new ArrayBuffer(batchSize * options.slotBytes);
    const meta = new ArrayBuffer(batchSize * META_WORDS * Uint32Array.BYTES_PER_ELEMENT);
    const sendList = new ArrayBuffer(batchSize * SEND_WORDS * Uint32Array.BYTES_PER_ELEMENT);
    this.slots = Array.from({ length: batchSize }, (_, i) =>
      Buffer.from(data, i * options.slotBytes, options.slotBytes),
    );
    this.#meta = new Uint32Array(meta);
    const replies = new Uint32Array(sendList);
    const { onDatagram, onError } = options;
    // Runs once per batch: each datagram in turn, its reply (if any) listed for the native side to send.
    const onBatch = (count: number): number => {
      let replyCount = 0;
      for (let slot = 0; slot < count; slot++) {
        const length = onDatagram(slot);
        if (length > 0) {
          replies[SEND_WORDS * replyCount] = slot;
          replies[SEND_WORDS * replyCount + 1] = length;
          replyCount++;
        }
      }
      return replyCount;
    };
    this.#native = native(
      () =>
        new binding.BatchedSocket(
          options.family,
          data,
          meta,
          sendList,
          batchSize,
          options.slotBytes,
          onBatch,
          (errno, syscall, count) => onError(errnoName(errno), syscall, count),
        ),
    );
  }

  /** Binds the socket; throws a BatchedUdpError (code EADDRINUSE, EACCES, …) when the kernel refuses. */
  bind(options: BindOptions): AddressInfo {
    const port = native(() => this.#native.bind(options.address, options.port, options.reusePort ?? false));
    this.#address = {
      address: native(() => this.#native.localAddress()),
      family: this.family === 6 ? 'IPv6' : 'IPv4',
      port,
    };
    return this.#address;
  }

  address(): AddressInfo {
    if (this.#address === undefined) throw new BatchedUdpError({ name: 'Error', message: 'not bound', code: 'EBADF' });
    return this.#address;
  }

  /** Asks for SO_RCVBUF; returns what the kernel granted (Linux doubles the request, capped by rmem_max). */
  setRecvBufferSize(bytes: number): number {
    return native(() => this.#native.setRecvBufferSize(bytes));
  }

  getRecvBufferSize(): number {
    return native(() => this.#native.getRecvBufferSize());
  }

  /** Starts reading: from now on onDatagram is called for every datagram, until close(). */
  start(): void {
    native(() => this.#native.start());
  }

  /** Stops reading and closes the socket at once; nothing queued is answered. Safe to call twice. */
  close(): void {
    this.#native.close();
  }

  /** The whole length of the slot's datagram (more than slotBytes when it was cut). */
  lengthOf(slot: number): number {
    return this.#meta[slot * META_WORDS + META_LENGTH] as number;
  }

  portOf(slot: number): number {
    return this.#meta[slot * META_WORDS + META_PORT] as number;
  }

  familyOf(slot: number): 4 | 6 {
    return this.#meta[slot * META_WORDS + META_FAMILY] === 6 ? 6 : 4;
  }

  /** Copies the source address as four words (IPv4 as ::ffff:a.b.c.d, most significant word first) into `out`. */
  writeAddressWords(slot: number, out: Uint32Array): void {
    const at = slot * META_WORDS + META_ADDRESS;
    for (let i = 0; i < ADDRESS_WORDS; i++) out[i] = this.#meta[at + i] as number;
  }

  /** The source address as text; allocates, so for logs and tests, not per datagram. Valid during its batch. */
  peerAddress(slot: number): string {
    return native(() => this.#native.peerAddress(slot));
  }
}
