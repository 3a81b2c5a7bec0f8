import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeProcNet } from '@ricochet/testing';
import { readKernelUdpCounters } from './kernel-udp-counters';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../test/fixtures', name), 'utf8');

const procWith = fakeProcNet;

describe('kernel UDP counters', () => {
  it('reads the Udp line pair of /proc/net/snmp, not UdpLite', async () => {
    const { ipv4 } = await readKernelUdpCounters(procWith({ snmp: fixture('proc-net-snmp.txt') }));
    expect(ipv4).toEqual({
      InDatagrams: 5120,
      NoPorts: 7,
      InErrors: 42,
      OutDatagrams: 5001,
      RcvbufErrors: 40,
      SndbufErrors: 1,
      InCsumErrors: 2,
    });
  });

  it('reads the Udp6 lines of /proc/net/snmp6, not UdpLite6', async () => {
    const { ipv6 } = await readKernelUdpCounters(procWith({ snmp6: fixture('proc-net-snmp6.txt') }));
    expect(ipv6).toEqual({
      InDatagrams: 11,
      NoPorts: 3,
      InErrors: 0,
      OutDatagrams: 10,
      RcvbufErrors: 0,
      SndbufErrors: 0,
      InCsumErrors: 0,
    });
  });

  it('gives nothing for text without UDP counters', async () => {
    expect(await readKernelUdpCounters(procWith({ snmp: '', snmp6: 'Ip6InReceives 1\n' }))).toEqual({
      ipv4: {},
      ipv6: {},
    });
  });

  it('reads both files under a proc root and tolerates a missing one', async () => {
    expect(await readKernelUdpCounters(procWith({ snmp: fixture('proc-net-snmp.txt') }))).toEqual({
      ipv4: expect.objectContaining({ RcvbufErrors: 40 }),
      ipv6: {},
    });
  });

  it("reads this machine's real counters", async () => {
    const { ipv4 } = await readKernelUdpCounters();
    expect(ipv4.InDatagrams).toEqual(expect.any(Number));
  });
});
