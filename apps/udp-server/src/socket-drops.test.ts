import { fakeProcNet } from '@ricochet/testing';
import { readSocketDrops } from './socket-drops';

const PROC_NET_UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 1833: 0100007F:D5CB 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2859281 2 00000000cf5659d5 0
 4278: 00000000:270F 00000000:0000 07 00000000:0001A000 00:00000000 00000000     0        0 2859273 2 000000003345003d 1234
 4279: 0100007F:270F 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2859274 2 000000003345003e 6
`;

// A stand-in /proc whose net/udp is the text above and whose net/udp6 is `udp6`.
const procWith = (udp6 = ''): string => fakeProcNet({ udp: PROC_NET_UDP, udp6 });

describe('readSocketDrops', () => {
  it('sums the drops column of the sockets bound to the port (9999 = 0x270F)', async () => {
    const proc = procWith();
    expect(await readSocketDrops(9999, false, proc)).toBe(1240);
    expect(await readSocketDrops(0xd5cb, false, proc)).toBe(0);
  });

  it('is undefined when no socket is bound to the port, or the text is not /proc/net/udp', async () => {
    expect(await readSocketDrops(53, false, procWith())).toBeUndefined();
    expect(await readSocketDrops(9999, true, procWith(''))).toBeUndefined();
    expect(await readSocketDrops(9999, true, procWith('garbage :270F'))).toBeUndefined();
  });

  it('is undefined where /proc has no such file', async () => {
    expect(await readSocketDrops(9999, false, '/nonexistent/proc')).toBeUndefined();
  });
});
