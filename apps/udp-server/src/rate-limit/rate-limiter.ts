import type { ServerConfig } from '@ricochet/config';
import { DropReason } from '../drop-reasons';
import { ACCEPT, type Guard } from '../guards';
import {
  ADDRESS_WORDS,
  IPV4_MAPPED_BITS,
  inNetwork,
  isIpv4,
  maskWords,
  writeAddressWords,
  type AddressWords,
} from './address-words';
import { TokenBucketTable } from './token-bucket-table';

export type RateLimitConfig = Pick<
  ServerConfig,
  | 'rateLimitSourceRate'
  | 'rateLimitSourceBurst'
  | 'rateLimitPrefixRate'
  | 'rateLimitPrefixBurst'
  | 'rateLimitIpv4Prefix'
  | 'rateLimitIpv6Prefix'
  | 'rateLimitTableSize'
  | 'rateLimitExempt'
>;

/** A network that is never limited. */
interface ExemptNetwork {
  readonly words: AddressWords;
  readonly bits: number;
}

export interface RateLimiter {
  /** The guard for the datagram pipeline: ACCEPT, or RATE_LIMITED when a bucket is empty. */
  readonly guard: Guard;
  /** Per source address; undefined when its rate is 0 (off). */
  readonly sources: TokenBucketTable | undefined;
  /** Per source prefix; undefined when its rate is 0 (off). */
  readonly prefixes: TokenBucketTable | undefined;
}

/**
 * DNS-RRL-style reply limits: a token bucket per source address and one per source prefix, so a forged victim (or
 * a victim network) gets at most the configured replies per second whatever is sent in its name. Exempt networks
 * (loopback by default: the kubelet's exec probes) are never limited. Returns undefined when both limits are off.
 */
export function createRateLimiter(
  config: RateLimitConfig,
  now: () => number = performance.now.bind(performance),
): RateLimiter | undefined {
  const sources =
    config.rateLimitSourceRate > 0
      ? new TokenBucketTable(config.rateLimitTableSize, config.rateLimitSourceRate, config.rateLimitSourceBurst)
      : undefined;
  const prefixes =
    config.rateLimitPrefixRate > 0
      ? new TokenBucketTable(config.rateLimitTableSize, config.rateLimitPrefixRate, config.rateLimitPrefixBurst)
      : undefined;
  if (sources === undefined && prefixes === undefined) return undefined;

  const exempt = config.rateLimitExempt.map(parseNetwork);
  const ipv4PrefixBits = IPV4_MAPPED_BITS + config.rateLimitIpv4Prefix;
  const ipv6PrefixBits = config.rateLimitIpv6Prefix;
  // Scratch space for the datagram being judged, reused for every one.
  const address: AddressWords = new Uint32Array(ADDRESS_WORDS);
  const prefix: AddressWords = new Uint32Array(ADDRESS_WORDS);

  const guard: Guard = (_request, _length, source) => {
    // Sockets always report a numeric address; anything else is not ours to limit.
    if (!source.writeAddressWords(address)) return ACCEPT;
    for (let i = 0; i < exempt.length; i++) {
      const network = exempt[i] as ExemptNetwork;
      if (inNetwork(address, network.words, network.bits)) return ACCEPT;
    }
    const nowMs = now();
    if (sources !== undefined && !sources.take(address, nowMs)) return DropReason.RATE_LIMITED;
    if (prefixes !== undefined) {
      maskWords(address, isIpv4(address) ? ipv4PrefixBits : ipv6PrefixBits, prefix);
      if (!prefixes.take(prefix, nowMs)) return DropReason.RATE_LIMITED;
    }
    return ACCEPT;
  };
  return { guard, sources, prefixes };
}

/** `10.0.0.0/8` or `::1/128` (already validated by the settings) as masked words and a bit count. */
function parseNetwork(cidr: string): ExemptNetwork {
  const slash = cidr.lastIndexOf('/');
  const words: AddressWords = new Uint32Array(ADDRESS_WORDS);
  writeAddressWords(cidr.slice(0, slash), words);
  const length = Number(cidr.slice(slash + 1));
  const bits = isIpv4(words) ? IPV4_MAPPED_BITS + length : length;
  maskWords(words, bits, words);
  return { words, bits };
}
