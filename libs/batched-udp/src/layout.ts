// The shared memory's layout, as native/batched_udp.c writes it. Each received datagram has a slot of `slotBytes`
// in the data buffer and a meta record of META_WORDS 32-bit words.

/** Words per slot in the meta array (the native side checks it exports the same number). */
export const META_WORDS = 8;
/** The datagram's whole length, even when it was longer than its slot and cut. */
export const META_LENGTH = 0;
export const META_PORT = 1;
/** 4 or 6: the source's address family as the socket saw it (an IPv4 client of a `::` socket is 6). */
export const META_FAMILY = 2;
/** Four words, most significant first; an IPv4 source as ::ffff:a.b.c.d. */
export const META_ADDRESS = 3;
export const ADDRESS_WORDS = 4;
/** Words per entry in the send list: the slot of the request answered, the reply's length. */
export const SEND_WORDS = 2;

/** Datagrams moved per system call at most, unless the caller asks for another size. */
export const DEFAULT_BATCH_SIZE = 64;
