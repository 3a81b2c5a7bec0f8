import { run } from './run';

/**
 * A datagram to forge: sent to `to` on loopback as if it came from `from` (both 127.0.0.1 unless given), `count`
 * times (default 1), the source address advancing by `step` each time (default 0: always the same).
 */
export interface ForgedDatagram {
  readonly from: { readonly address?: string; readonly port: number };
  readonly to: { readonly address?: string; readonly port: number };
  readonly payload: Buffer;
  readonly count?: number;
  readonly step?: number;
}

// IPv4 + UDP headers written by hand on a raw socket (IP_HDRINCL). Node has no raw sockets; Python's standard
// library does, and every Debian machine has it. Reads "src_ip src_port dst_ip dst_port hex [count [step]]" lines
// on stdin: `count` copies (default 1), the source address advancing by `step` each (default 0). Prints how many
// it sent and the seconds from the first to the last.
const SENDER = `
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
sent = 0
started = time.monotonic()
for line in sys.stdin:
    fields = line.split()
    src, sport, dst, dport, data = fields[:5]
    count = int(fields[5]) if len(fields) > 5 else 1
    step = int(fields[6]) if len(fields) > 6 else 0
    payload = b'' if data == '-' else bytes.fromhex(data)
    udp = struct.pack('!HHHH', int(sport), int(dport), 8 + len(payload), 0) + payload
    first = struct.unpack('!I', socket.inet_aton(src))[0]
    dst_bytes = socket.inet_aton(dst)
    for i in range(count):
        ip = struct.pack('!BBHHHBBHI4s', 0x45, 0, 20 + len(udp), 0, 0, 64, socket.IPPROTO_UDP, 0,
                         (first + i * step) & 0xffffffff, dst_bytes)
        s.sendto(ip + udp, (dst, 0))
        sent += 1
print(sent, time.monotonic() - started)
`;

/** Whether datagrams can be forged here: raw sockets need root, and the sender needs python3. */
export function canForge(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Sends each datagram with a forged source address and port (raw socket, loopback only: the tests' own
 * addresses). Resolves with how many were sent and how long that took; rejects if the sender could not run.
 */
export async function forge(datagrams: readonly ForgedDatagram[]): Promise<{ sent: number; seconds: number }> {
  const input = datagrams
    .map(
      ({ from, to, payload, count = 1, step = 0 }) =>
        `${from.address ?? '127.0.0.1'} ${from.port} ${to.address ?? '127.0.0.1'} ${to.port} ` +
        `${payload.toString('hex') || '-'} ${count} ${step}`,
    )
    .join('\n');
  const result = await run('python3', ['-c', SENDER], { input: `${input}\n`, timeoutMs: 300_000 });
  if (result.code !== 0) throw new Error(`forging datagrams failed (python3 exit ${result.code}): ${result.stderr}`);
  const [sent, seconds] = result.stdout.trim().split(' ').map(Number);
  return { sent: sent ?? 0, seconds: seconds ?? 0 };
}

/** forge(), resolving with how many were sent. */
export async function sendForged(datagrams: readonly ForgedDatagram[]): Promise<number> {
  return (await forge(datagrams)).sent;
}
