import { run } from './run';

/** One datagram to forge: sent to `to` on loopback as if it came from `from` (both 127.0.0.1 unless given). */
export interface ForgedDatagram {
  readonly from: { readonly address?: string; readonly port: number };
  readonly to: { readonly address?: string; readonly port: number };
  readonly payload: Buffer;
}

// IPv4 + UDP headers written by hand on a raw socket (IP_HDRINCL). Node has no raw sockets; Python's standard
// library does, and every Debian machine has it. Reads "src_ip src_port dst_ip dst_port hex" lines on stdin.
const SENDER = `
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
sent = 0
for line in sys.stdin:
    src, sport, dst, dport, data = line.split()
    payload = b'' if data == '-' else bytes.fromhex(data)
    udp = struct.pack('!HHHH', int(sport), int(dport), 8 + len(payload), 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    s.sendto(ip + udp, (dst, 0))
    sent += 1
print(sent)
`;

/** Whether datagrams can be forged here: raw sockets need root, and the sender needs python3. */
export function canForge(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Sends each datagram with a forged source address and port (raw socket, loopback only: the tests' own
 * addresses). Resolves with how many were sent; rejects if the sender could not run.
 */
export async function sendForged(datagrams: readonly ForgedDatagram[]): Promise<number> {
  const input = datagrams
    .map(
      ({ from, to, payload }) =>
        `${from.address ?? '127.0.0.1'} ${from.port} ${to.address ?? '127.0.0.1'} ${to.port} ${payload.toString('hex') || '-'}`,
    )
    .join('\n');
  const result = await run('python3', ['-c', SENDER], { input: `${input}\n`, timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`forging datagrams failed (python3 exit ${result.code}): ${result.stderr}`);
  return Number(result.stdout.trim());
}
