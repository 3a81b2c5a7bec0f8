import { constants } from 'node:os';
import { join } from 'node:path';
import { BatchedUdpSocket, type BatchedUdpSocketOptions } from './batched-udp-socket';
import { META_WORDS } from './layout';
import type { NativeBinding } from './native-binding';

/** Node's architecture names as OCI platforms spell them, which name the addon's files. */
const OCI_ARCH: Readonly<Record<string, string>> = { x64: 'amd64', arm64: 'arm64' };

/** The addon's file name for this platform and architecture, as scripts/build-native.mjs writes it. */
export const ADDON_FILE = `batched-udp.${process.platform}-${OCI_ARCH[process.arch] ?? process.arch}.node`;

/**
 * Where the addon is looked for, in order: beside the running module (the image puts it beside the bundle in
 * /app/udp-server), then where `nx run batched-udp:build-native` writes it, seen from the server's bundle in
 * dist/apps/udp-server and from this source file (tests, tools run from source).
 */
export function defaultAddonPaths(): string[] {
  return [
    join(__dirname, ADDON_FILE),
    join(__dirname, '..', '..', 'libs', 'batched-udp', ADDON_FILE),
    join(__dirname, '..', '..', '..', 'dist', 'libs', 'batched-udp', ADDON_FILE),
  ];
}

export interface BatchedUdp {
  readonly loaded: true;
  /** The file the addon was loaded from. */
  readonly file: string;
  createSocket(options: BatchedUdpSocketOptions): BatchedUdpSocket;
}

export interface BatchedUdpUnavailable {
  readonly loaded: false;
  /** Why, in one sentence a log line can carry. */
  readonly reason: string;
}

const cache = new Map<string, BatchedUdp | BatchedUdpUnavailable>();

/**
 * Loads the addon from the first of `paths` that exists. Never throws: a missing or broken addon, or a platform
 * without recvmmsg, is an answer with the reason, and the caller falls back to dgram.
 */
export function loadBatchedUdp(paths: readonly string[] = defaultAddonPaths()): BatchedUdp | BatchedUdpUnavailable {
  const key = paths.join('\0');
  let result = cache.get(key);
  if (result === undefined) {
    result = load(paths);
    cache.set(key, result);
  }
  return result;
}

function load(paths: readonly string[]): BatchedUdp | BatchedUdpUnavailable {
  if (process.platform !== 'linux') {
    return { loaded: false, reason: `batched socket I/O needs Linux (recvmmsg/sendmmsg), not ${process.platform}` };
  }
  const failures: string[] = [];
  for (const file of paths) {
    const module = { exports: {} as Partial<NativeBinding> };
    try {
      process.dlopen(module, file, constants.dlopen.RTLD_NOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      failures.push(
        code === 'ERR_DLOPEN_FAILED' && /No such file/.test((err as Error).message)
          ? `${file}: not found`
          : `${file}: ${(err as Error).message.split('\n')[0]}`,
      );
      continue;
    }
    const binding = module.exports;
    if (typeof binding.BatchedSocket !== 'function' || binding.META_WORDS !== META_WORDS) {
      failures.push(`${file}: not a batched-udp addon of this version (meta layout differs)`);
      continue;
    }
    const complete = binding as NativeBinding;
    return { loaded: true, file, createSocket: (options) => new BatchedUdpSocket(complete, options) };
  }
  return {
    loaded: false,
    reason: `the batched-udp addon could not be loaded (${failures.join('; ')}); build it with \`npx nx run batched-udp:build-native\``,
  };
}
