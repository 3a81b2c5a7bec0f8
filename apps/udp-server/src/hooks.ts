import type { AddressInfo } from 'node:net';
import { createError } from '@ricochet/errors';

/** Called in order; an async hook is awaited before the next. */
export interface HookSignatures {
  /** The socket is bound and the server is serving. */
  onListen: (address: AddressInfo) => void | Promise<void>;
  /** The drain window is over; the socket is about to close. */
  preClose: () => void | Promise<void>;
  /** The socket is closed; the server is stopped. */
  onClose: () => void | Promise<void>;
}

export type HookName = keyof HookSignatures;

const HOOK_NAMES: readonly HookName[] = ['onListen', 'preClose', 'onClose'];

export class Hooks {
  readonly #hooks: { [N in HookName]: HookSignatures[N][] } = { onListen: [], preClose: [], onClose: [] };

  add<N extends HookName>(name: N, hook: HookSignatures[N]): void {
    if (!HOOK_NAMES.includes(name) || typeof hook !== 'function') {
      throw createError('UDP_ERR_HOOK_INVALID', String(name), HOOK_NAMES.join(', '));
    }
    (this.#hooks[name] as HookSignatures[N][]).push(hook);
  }

  async run<N extends HookName>(name: N, ...args: Parameters<HookSignatures[N]>): Promise<void> {
    for (const hook of this.#hooks[name]) {
      await (hook as (...a: Parameters<HookSignatures[N]>) => void | Promise<void>)(...args);
    }
  }
}
