import { parseSocketDrops } from './socket-drops';

const PROC_NET_UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 1833: 0100007F:D5CB 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2859281 2 00000000cf5659d5 0
 4278: 00000000:270F 00000000:0000 07 00000000:0001A000 00:00000000 00000000     0        0 2859273 2 000000003345003d 1234
 4279: 0100007F:270F 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2859274 2 000000003345003e 6
`;

describe('parseSocketDrops', () => {
  it('sums the drops column of the sockets bound to the port (9999 = 0x270F)', () => {
    expect(parseSocketDrops(PROC_NET_UDP, 9999)).toBe(1240);
    expect(parseSocketDrops(PROC_NET_UDP, 0xd5cb)).toBe(0);
  });

  it('is undefined when no socket is bound to the port, or the text is not /proc/net/udp', () => {
    expect(parseSocketDrops(PROC_NET_UDP, 53)).toBeUndefined();
    expect(parseSocketDrops('', 9999)).toBeUndefined();
    expect(parseSocketDrops('garbage :270F', 9999)).toBeUndefined();
  });
});
