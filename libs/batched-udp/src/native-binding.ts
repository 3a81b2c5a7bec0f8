// What native/batched_udp.c exports, typed. Only this library calls it; BatchedUdpSocket is the API.

export interface NativeSocket {
  bind(address: string, port: number, reusePort: boolean): number;
  setRecvBufferSize(bytes: number): number;
  getRecvBufferSize(): number;
  localAddress(): string;
  peerAddress(slot: number): string;
  start(): void;
  close(): void;
}

export interface NativeBinding {
  readonly META_WORDS: number;
  readonly BatchedSocket: new (
    family: 4 | 6,
    recvData: ArrayBuffer,
    meta: ArrayBuffer,
    sendList: ArrayBuffer,
    batchSize: number,
    slotBytes: number,
    onBatch: (count: number) => number,
    onError: (errno: number, syscall: string, count: number) => void,
  ) => NativeSocket;
}

/** An error thrown by the native side: a system call's errno, or a Node-style code for misuse. */
export interface NativeError extends Error {
  readonly errno?: number;
  readonly syscall?: string;
  readonly code?: string;
}
