import { readFileSync } from 'node:fs';
import { canLimitMemory, createMemoryCgroup, describeIf, runOk } from '@ricochet/testing';
import { serverOver, SOCKET_IO_PATHS } from './processes';

// The metrics port must not be a way to take UDP down. Before its limits, 1000 concurrent GET /metrics stalled
// UDP for ~1.8 s, three rounds of 2000 left a third of PINGs answered and RSS at 396 MB (over the chart's 256 Mi
// limit), and 1000 slowloris connections were all held. Here the built server gets a steady 10 000 PING/s while
// another process holds 1000 slow connections and fires rounds of 2000 concurrent scrapes. It runs in a memory
// cgroup with the chart's limit, as in the pod: Node sizes its heap from that limit (unconstrained on a 24 GiB
// machine, V8's young generation alone lets RSS reach ~220 MiB before it collects).

const SECONDS = 8;
const CHART_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;

/** A PING load in its own process: `rate` per second from 8 sockets for `seconds`; prints {sent, answered}. */
const LOAD = `
const { createSocket } = require('node:dgram');
const [port, rate, seconds] = process.argv.slice(1).map(Number);
const sockets = Array.from({ length: 8 }, () => createSocket('udp4'));
const answered = new Uint8Array(rate * seconds + rate);
let sent = 0, received = 0;
for (const s of sockets) s.on('message', (m) => { const id = m.readUInt32BE(4); if (m[3] === 0x81 && !answered[id]) { answered[id] = 1; received++; } });
const ping = (id) => { const b = Buffer.alloc(16); b.writeUInt16BE(0x5243, 0); b[2] = 1; b[3] = 1; b.writeUInt32BE(id, 4); return b; };
let owed = 0;
const timer = setInterval(() => {
  owed += rate / 100;
  for (; owed >= 1 && sent < rate * seconds; owed--) { sockets[sent % 8].send(ping(sent), port, '127.0.0.1'); sent++; }
}, 10);
setTimeout(() => { clearInterval(timer); setTimeout(() => { console.log(JSON.stringify({ sent, answered: received })); process.exit(0); }, 1000); }, seconds * 1000);
`;

/** 1000 slow connections held open (re-opened when closed), and rounds of 2000 concurrent scrapes. */
const FLOOD = `
const net = require('node:net');
const http = require('node:http');
const [port, seconds] = process.argv.slice(1).map(Number);
const until = Date.now() + seconds * 1000;
let slowOpened = 0, scrapesOk = 0, scrapesFailed = 0;
const slow = () => { if (Date.now() > until) return; slowOpened++; const s = net.connect(port, '127.0.0.1', () => s.write('GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n')); s.on('error', () => {}); s.on('close', () => setTimeout(slow, 100)); };
for (let i = 0; i < 1000; i++) slow();
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const scrape = () => new Promise((resolve) => {
  const req = http.get({ host: '127.0.0.1', port, path: '/metrics', agent, timeout: 5000 }, (res) => { res.resume(); res.on('end', () => { res.statusCode === 200 ? scrapesOk++ : scrapesFailed++; resolve(); }); });
  req.on('timeout', () => req.destroy()); req.on('error', () => { scrapesFailed++; resolve(); });
});
(async () => {
  while (Date.now() < until) await Promise.all(Array.from({ length: 2000 }, scrape));
  console.log(JSON.stringify({ slowOpened, scrapesOk, scrapesFailed }));
  process.exit(0);
})();
`;

function peakRssBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const startServer = serverOver(socketIo);

  describeIf(canLimitMemory(), 'needs root and the cgroup v1 memory controller')(
    'the metrics port under a flood',
    () => {
      it('keeps answering ≥ 99% of a steady 10k PING/s, stays well under the memory limit, and still serves scrapes', async () => {
        const cgroup = createMemoryCgroup('metrics-flood', CHART_MEMORY_LIMIT_BYTES);
        const server = startServer({}, [], { cgroup });
        const [udpPort, metricsPort] = await Promise.all([server.port(), server.metricsPort()]);
        const [load, flood] = await Promise.all([
          runOk(process.execPath, ['-e', LOAD, String(udpPort), '10000', String(SECONDS)], { timeoutMs: 60_000 }),
          runOk(process.execPath, ['-e', FLOOD, String(metricsPort), String(SECONDS)], { timeoutMs: 60_000 }),
        ]);
        const pings = JSON.parse(load.stdout) as { sent: number; answered: number };
        const http = JSON.parse(flood.stdout) as { slowOpened: number; scrapesOk: number; scrapesFailed: number };
        const rss = peakRssBytes(server.child.pid!);
        const after = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
        console.log(`metrics flood: ${JSON.stringify({ pings, http, peakRssMiB: Math.round(rss / 1048576) })}`);

        // The generator is a timer loop sharing 2 cores with the server, the flood and whatever else the suite runs: on
        // a quiet machine it sends its 10k/s, loaded it falls behind (38 900 of 100 000 was seen at load average 12
        // with other suites running). A fifth of the target is still a steady load through the whole flood; what
        // matters is that every PING that went out was answered.
        expect(pings.sent).toBeGreaterThan(0.2 * 10_000 * SECONDS);
        expect(pings.answered / pings.sent).toBeGreaterThanOrEqual(0.99);
        expect(cgroup.oomKills()).toBe(0);
        expect(rss).toBeLessThan(CHART_MEMORY_LIMIT_BYTES * 0.75);
        expect(http.slowOpened).toBeGreaterThanOrEqual(1000);
        expect(http.scrapesOk).toBeGreaterThan(0);
        expect(after.status).toBe(200);
      }, 60_000);
    },
  );
});
