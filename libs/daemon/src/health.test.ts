import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';
import { answers200, httpStatus, logTail, pollUntil } from './health';

describe('health checks', () => {
  it('reports the status an HTTP endpoint answers with, and undefined when nothing listens', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/ok' ? 200 : 401;
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      expect(await answers200(`http://127.0.0.1:${port}/ok`)).toBe(true);
      expect(await httpStatus(`http://127.0.0.1:${port}/v2/`)).toBe(401);
    } finally {
      server.close();
    }
    expect(await httpStatus(`http://127.0.0.1:${port}/ok`)).toBeUndefined();
  });

  it('polls until a condition holds, or gives up at the deadline', async () => {
    let calls = 0;
    expect(await pollUntil(() => ++calls === 3, 5_000)).toBe(true);
    expect(calls).toBe(3);
    expect(await pollUntil(() => false, 300)).toBe(false);
  });

  it('reads the last lines of a log, or says there is none', () => {
    const dir = makeTempDir('daemon-log');
    try {
      writeFileSync(join(dir, 'x.log'), 'a\nb\nc\n');
      expect(logTail(join(dir, 'x.log'), 2)).toBe('b\nc');
      expect(logTail(join(dir, 'missing.log'))).toBe('(no log)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
