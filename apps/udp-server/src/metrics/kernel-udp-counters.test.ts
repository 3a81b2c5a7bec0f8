import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSnmp, parseSnmp6, readKernelUdpCounters } from './kernel-udp-counters';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../test/fixtures', name), 'utf8');

describe('kernel UDP counters', () => {
  it('reads the Udp line pair of /proc/net/snmp, not UdpLite', () => {
    expect(parseSnmp(fixture('proc-net-snmp.txt'))).toEqual({
      InDatagrams: 5120,
      NoPorts: 7,
      InErrors: 42,
      OutDatagrams: 5001,
      RcvbufErrors: 40,
      SndbufErrors: 1,
      InCsumErrors: 2,
    });
  });

  it('reads the Udp6 lines of /proc/net/snmp6, not UdpLite6', () => {
    expect(parseSnmp6(fixture('proc-net-snmp6.txt'))).toEqual({
      InDatagrams: 11,
      NoPorts: 3,
      InErrors: 0,
      OutDatagrams: 10,
      RcvbufErrors: 0,
      SndbufErrors: 0,
      InCsumErrors: 0,
    });
  });

  it('gives nothing for text without UDP counters', () => {
    expect(parseSnmp('')).toEqual({});
    expect(parseSnmp6('Ip6InReceives 1\n')).toEqual({});
  });

  it('reads both files under a proc root and tolerates a missing one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'proc-'));
    mkdirSync(join(root, 'net'));
    writeFileSync(join(root, 'net', 'snmp'), fixture('proc-net-snmp.txt'));
    expect(await readKernelUdpCounters(root)).toEqual({
      ipv4: expect.objectContaining({ RcvbufErrors: 40 }),
      ipv6: {},
    });
  });

  it("reads this machine's real counters", async () => {
    const { ipv4 } = await readKernelUdpCounters();
    expect(ipv4.InDatagrams).toEqual(expect.any(Number));
  });
});
