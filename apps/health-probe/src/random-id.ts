/**
 * A random starting request id. Math.random, not node:crypto: the id only tells this probe's replies from stale
 * ones (the connected socket already filters other senders), and loading crypto costs every probe run ~5 ms.
 */
export function randomRequestId(): number {
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
}
