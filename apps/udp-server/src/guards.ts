import type { DatagramSource } from './datagram-source';
import { DropReason } from './drop-reasons';

/** Returned by a guard that lets the datagram through. */
export const ACCEPT = -1;

/**
 * A policy step between routing and replying: returns ACCEPT or the reason to drop. Guards run in order, on every
 * datagram that decoded, before any reply is written; a rate limiter is one more guard. The request is the first
 * `length` bytes of `request` (which may be longer: a slot of batched I/O).
 */
export type Guard = (request: Buffer, length: number, source: DatagramSource) => DropReason | typeof ACCEPT;

/** Ports below this belong to system services; see rejectPrivilegedSourcePort. */
const FIRST_UNPRIVILEGED_PORT = 1024;

/**
 * Never answer a privileged source port: a forged source of another UDP service (DNS 53, NTP 123, chargen 19)
 * would otherwise get our reply and might answer it, starting a loop or an amplification.
 */
export const rejectPrivilegedSourcePort: Guard = (_request, _length, source) =>
  source.port < FIRST_UNPRIVILEGED_PORT ? DropReason.PRIVILEGED_SOURCE_PORT : ACCEPT;
