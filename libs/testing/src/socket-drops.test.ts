import { fakeProcNet } from './fake-proc';
import { udpSocketDrops, until } from './socket-drops';

const HEADER =
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
const line = (local: string, drops: number): string =>
  ` 1: ${local} 0100007F:270F 01 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 ${drops}\n`;

describe('udpSocketDrops', () => {
  it('sums the drops column of the sockets bound to the port, IPv4 and IPv6', () => {
    const proc = fakeProcNet({
      udp: HEADER + line('0100007F:9C40', 3) + line('0100007F:9C41', 100),
      udp6: HEADER + line('00000000000000000000000001000000:9C40', 4),
    });
    expect(udpSocketDrops(0x9c40, proc)).toBe(7);
    expect(udpSocketDrops(0x1234, proc)).toBe(0);
  });
});

describe('until', () => {
  it('resolves once the condition holds, and rejects, naming what it waited for, when it never does', async () => {
    let turns = 0;
    await until(() => ++turns > 3, 1000, 'three turns');
    await expect(until(() => false, 20, 'the impossible')).rejects.toThrow(/not within 20 ms: the impossible/);
  });
});
