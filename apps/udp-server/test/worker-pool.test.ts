import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings, serverSettings } from '@ricochet/config';
import { makeTempDir } from '@ricochet/testing';
import { createLogger } from '../src/logger';
import { ServerStats } from '../src/server-stats';
import { chooseSocketIo } from '../src/socket-io/choose-socket-io';
import { isWorkerData } from '../src/workers/worker-messages';
import { WorkerPool } from '../src/workers/worker-pool';
import type { LogCapture } from './helpers';

// The pool's own logic against stand-in workers: small scripts that speak the worker protocol
// (workers/worker-messages.ts) and misbehave on purpose. The real workers, the bundle's, are driven by
// apps/udp-server-e2e/test/workers.test.ts.

/** Counters a stand-in worker reports: `n` PINGs received and answered, one rate-limited, a send error. */
function countsOf(n: number) {
  const stats = new ServerStats();
  stats.received[0] = n;
  stats.replies[0] = n;
  stats.dropped[9] = 1;
  stats.countSendError('EAGAIN', 2);
  stats.handlingSeconds.observe(0.000_003);
  return { stats: stats.toCounts(), sources: { size: n, evictions: 1 }, prefixes: undefined };
}

/** A stand-in worker: listens (or not), then behaves as `body` says; `body` sees `post`, `index` and `counts`. */
function standIn(body: string): string {
  const script = join(makeTempDir('worker-pool'), 'worker.cjs');
  writeFileSync(
    script,
    `const { parentPort, workerData } = require('node:worker_threads');
const index = workerData.index;
const post = (m) => parentPort.postMessage(m);
const counts = ${JSON.stringify([countsOf(10), countsOf(20)])}[index];
const listening = () => post({ type: 'listening', address: { address: '127.0.0.1', family: 'IPv4', port: 40000 + workerData.config.port }, recvBuffer: { requestedBytes: 1, grantedBytes: 2 } });
${body}
`,
  );
  return script;
}

/** Answers requests for counters and stops when told to, as a real worker does. */
const OBEDIENT = `
parentPort.on('message', (m) => {
  if (m.type === 'counts') post({ type: 'counts', id: m.id, counts });
  if (m.type === 'close' || m.type === 'drain') { post({ type: 'stopped', counts }); parentPort.close(); }
});`;

function pool(script: string, env: Record<string, string> = {}) {
  const config = loadSettings(serverSettings, { env: { WORKERS: '2', UDP_PORT: '0', ...env }, argv: [] });
  const logs: LogCapture = { lines: [] };
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const created = new WorkerPool({ config, logger, script, socketIo: chooseSocketIo('dgram') });
  return { pool: created, logs };
}

describe('the worker pool', () => {
  it('gives the workers after the first the port the first one bound, and sums their counters', async () => {
    const { pool: p, logs } = pool(standIn(`listening();${OBEDIENT}`));
    // The stand-ins report port 40000 + the port they were given: 0 for the first, its 40000 for the second.
    expect(await p.listen()).toMatchObject({ port: 40000 });
    await p.refreshStats();
    expect(p.stats.snapshot()).toMatchObject({
      received: { ping: 30 },
      replies: { pong: 30 },
      dropped: { rate_limited: 2 },
      sendErrors: { EAGAIN: 4 },
    });
    expect(p.stats.handlingSeconds.count).toBe(2);
    expect(p.rateLimits).toEqual({ sources: { size: 30, evictions: 2 }, prefixes: undefined });
    expect(await p.workersAnswer()).toEqual({ ready: true, reason: 'all 2 workers answer' });
    expect(logs.lines.filter((l) => l['msg'] === 'listening')).toEqual([
      expect.objectContaining({ workers: 2, socketIo: 'dgram' }),
    ]);
    await p.close();
    expect(p.state).toBe('stopped');
    expect(logs.lines.at(-1)).toMatchObject({ to: 'stopped', receivedByWorker: [10, 20] });
  });

  it('stops the pod, with a failure and an error line, when a worker thread ends while serving', async () => {
    const { pool: p, logs } = pool(
      standIn(`listening();${OBEDIENT}\nif (index === 1) setTimeout(() => process.exit(3), 50);`),
    );
    await p.listen();
    await p.stopped;
    expect(p.failure?.message).toBe('worker 1 ended (exit code 3) while serving');
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        worker: 1,
        code: 3,
        msg: 'a worker thread ended while serving: stopping the pod',
      }),
    );
    expect(p.state).toBe('stopped');
  });

  it("rejects listen with the worker's own coded error when one cannot bind, and ends every thread", async () => {
    const script = standIn(`
if (index === 0) { listening(); ${OBEDIENT} }
else { post({ type: 'failed', code: 'UDP_ERR_SOCKET', message: 'Socket bind failed: EADDRINUSE' }); parentPort.close(); }`);
    const { pool: p } = pool(script);
    await expect(p.listen()).rejects.toMatchObject({
      code: 'UDP_ERR_SOCKET',
      message: 'Socket bind failed: EADDRINUSE',
    });
    expect(p.state).toBe('stopped');
    await expect(p.stopped).resolves.toBeUndefined();
  });

  it('is not ready when a worker does not answer, and counts what it last reported', async () => {
    // Worker 1 reports its counters once, unasked, then never answers again.
    const script = standIn(`listening();
if (index === 0) { ${OBEDIENT} }
else { post({ type: 'counts', id: 0, counts }); parentPort.on('message', (m) => { if (m.type === 'close') process.exit(0); }); }`);
    const { pool: p } = pool(script);
    await p.listen();
    expect(await p.workersAnswer()).toEqual({ ready: false, reason: 'worker 1 did not answer within 1000 ms' });
    await p.refreshStats();
    expect(p.stats.snapshot().received['ping']).toBe(30);
    await p.close();
  });

  it('refuses to drain before it serves, and drains every worker once it does', async () => {
    const { pool: p, logs } = pool(standIn(`listening();${OBEDIENT}`));
    expect(() => p.drain()).toThrow(expect.objectContaining({ code: 'UDP_ERR_LIFECYCLE' }));
    await p.listen();
    await p.drain();
    expect(logs.lines.map((l) => l['msg']).filter((m) => String(m).startsWith('lifecycle'))).toEqual([
      'lifecycle starting → serving',
      'lifecycle serving → draining',
      'lifecycle draining → stopped',
    ]);
  });

  it('refuses what needs a bound port before it listens, listens once, and closes quietly before it started', async () => {
    const { pool: idle } = pool(standIn(`listening();${OBEDIENT}`));
    expect(() => idle.address()).toThrow(expect.objectContaining({ code: 'UDP_ERR_LIFECYCLE' }));
    expect(await idle.socketDrops()).toBeUndefined();
    await idle.close();
    expect(idle.state).toBe('stopped');
    await expect(idle.listen()).rejects.toMatchObject({ code: 'UDP_ERR_LIFECYCLE' });

    const { pool: p } = pool(standIn(`listening();${OBEDIENT}`), { UDP_HOST: '127.0.0.1' });
    await p.listen();
    await expect(p.listen()).rejects.toMatchObject({ code: 'UDP_ERR_LIFECYCLE' });
    expect(p.address().port).toBe(40000);
    await p.close();
  });

  it('knows its own workers by their data, and nothing else', () => {
    expect(isWorkerData({ kind: 'ricochet-udp-worker', index: 0 })).toBe(true);
    expect(isWorkerData(undefined)).toBe(false);
    expect(isWorkerData({ kind: 'another' })).toBe(false);
  });
});
