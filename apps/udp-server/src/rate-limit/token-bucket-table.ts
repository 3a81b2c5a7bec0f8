import { closeSync, openSync, readSync } from 'node:fs';
import { ADDRESS_WORDS, type AddressWords } from './address-words';

/**
 * Entries are numbered from 1, so that 0, what a fresh typed array holds, means none: the tables need no filling
 * at start, and their pages cost memory only once entries use them.
 */
const NONE = 0;

/**
 * A random 32-bit seed from /dev/urandom: node:crypto would do, but its first use costs about 3 MB of resident
 * memory (OpenSSL's start-up) in a server that needs nothing else from it. Web Crypto where there is no
 * /dev/urandom.
 */
function randomSeed(): number {
  const bytes = Buffer.alloc(4);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, bytes, 0, 4, null) === 4) return bytes.readUInt32LE(0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not Linux or macOS
  }
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

/**
 * Token buckets for a bounded number of keys (addresses or prefixes), allocated once at start-up.
 *
 * - Lookup is a hash table with chaining, all in typed arrays: no allocation per datagram. The hash is seeded at
 *   random, so a forger cannot choose addresses that collide.
 * - When full, the least recently seen key is forgotten to make room (a doubly linked list in recency order, so
 *   O(1)): a flood from millions of forged addresses keeps the table at its size, costing neither memory nor time.
 * - A key seen for the first time starts with a full bucket.
 */
export class TokenBucketTable {
  readonly capacity: number;
  /** Keys tracked now. */
  size = 0;
  /** Keys forgotten to make room, since start. */
  evictions = 0;

  readonly #tokensPerMs: number;
  readonly #burst: number;
  readonly #seed: number;
  readonly #keys: Uint32Array;
  readonly #tokens: Float64Array;
  readonly #updatedAt: Float64Array;
  readonly #heads: Int32Array;
  readonly #nextInChain: Int32Array;
  readonly #older: Int32Array;
  readonly #newer: Int32Array;
  #newest = NONE;
  #oldest = NONE;

  constructor(capacity: number, ratePerSecond: number, burst: number, seed = randomSeed()) {
    this.capacity = capacity;
    this.#tokensPerMs = ratePerSecond / 1000;
    this.#burst = burst;
    this.#seed = seed;
    // Entry 0 is NONE and never used.
    this.#keys = new Uint32Array((capacity + 1) * ADDRESS_WORDS);
    this.#tokens = new Float64Array(capacity + 1);
    this.#updatedAt = new Float64Array(capacity + 1);
    // A power of two at least twice the capacity: chains stay about one entry long.
    this.#heads = new Int32Array(2 ** Math.ceil(Math.log2(capacity * 2)));
    this.#nextInChain = new Int32Array(capacity + 1);
    this.#older = new Int32Array(capacity + 1);
    this.#newer = new Int32Array(capacity + 1);
  }

  /** Takes one token from the key's bucket at time `nowMs`; false when the bucket is empty. */
  take(key: AddressWords, nowMs: number): boolean {
    const bucket = this.#bucketOf(key, 0);
    let entry = this.#find(key, bucket);
    if (entry === NONE) {
      entry = this.#insert(key, bucket, nowMs);
    } else {
      this.#touch(entry);
      const refilled = this.#tokens[entry] + (nowMs - this.#updatedAt[entry]) * this.#tokensPerMs;
      this.#tokens[entry] = refilled > this.#burst ? this.#burst : refilled;
      this.#updatedAt[entry] = nowMs;
    }
    if (this.#tokens[entry] < 1) return false;
    this.#tokens[entry] -= 1;
    return true;
  }

  #find(key: AddressWords, bucket: number): number {
    const keys = this.#keys;
    for (let entry = this.#heads[bucket]; entry !== NONE; entry = this.#nextInChain[entry]) {
      const at = entry * ADDRESS_WORDS;
      if (keys[at] === key[0] && keys[at + 1] === key[1] && keys[at + 2] === key[2] && keys[at + 3] === key[3]) {
        return entry;
      }
    }
    return NONE;
  }

  #insert(key: AddressWords, bucket: number, nowMs: number): number {
    let entry: number;
    if (this.size < this.capacity) {
      entry = ++this.size;
    } else {
      entry = this.#oldest;
      this.#unchain(entry);
      this.#unlink(entry);
      this.evictions++;
    }
    this.#keys.set(key, entry * ADDRESS_WORDS);
    this.#tokens[entry] = this.#burst;
    this.#updatedAt[entry] = nowMs;
    this.#nextInChain[entry] = this.#heads[bucket];
    this.#heads[bucket] = entry;
    this.#linkNewest(entry);
    return entry;
  }

  /** Removes an entry from its hash chain. */
  #unchain(entry: number): void {
    const bucket = this.#bucketOf(this.#keys, entry * ADDRESS_WORDS);
    if (this.#heads[bucket] === entry) {
      this.#heads[bucket] = this.#nextInChain[entry];
      return;
    }
    let previous = this.#heads[bucket];
    while (this.#nextInChain[previous] !== entry) previous = this.#nextInChain[previous];
    this.#nextInChain[previous] = this.#nextInChain[entry];
  }

  #touch(entry: number): void {
    if (entry === this.#newest) return;
    this.#unlink(entry);
    this.#linkNewest(entry);
  }

  #unlink(entry: number): void {
    const older = this.#older[entry];
    const newer = this.#newer[entry];
    if (older === NONE) this.#oldest = newer;
    else this.#newer[older] = newer;
    if (newer === NONE) this.#newest = older;
    else this.#older[newer] = older;
  }

  #linkNewest(entry: number): void {
    this.#older[entry] = this.#newest;
    this.#newer[entry] = NONE;
    if (this.#newest === NONE) this.#oldest = entry;
    else this.#newer[this.#newest] = entry;
    this.#newest = entry;
  }

  /** The chain of the four words at words[at…]: a seeded mix of them, masked to the table. */
  #bucketOf(words: Uint32Array, at: number): number {
    let h = this.#seed;
    for (let i = 0; i < ADDRESS_WORDS; i++) {
      h = Math.imul(h ^ words[at + i], 0x9e3779b1);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 13), 0x85ebca6b);
    return (h ^ (h >>> 16)) & (this.#heads.length - 1);
  }
}
