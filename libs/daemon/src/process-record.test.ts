import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';
import { pollUntil } from './health';
import { forgetProcess, isAlive, logFile, readRecords, running, startProcess, stopProcess } from './process-record';

const SLEEP = '/usr/bin/sleep';

describe('daemons tracked by PID files', () => {
  let dir: string;
  const dirs = () => ({ run: join(dir, 'run'), logs: join(dir, 'logs') });
  beforeEach(() => {
    dir = makeTempDir('daemon-test');
  });
  afterEach(async () => {
    for (const record of readRecords(dirs())) await stopProcess(record, 1_000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a detached process once, finds it by name, and stops it by PID', async () => {
    const first = startProcess(dirs(), 'sleeper', SLEEP, ['30']);
    expect(startProcess(dirs(), 'sleeper', SLEEP, ['30']).pid).toBe(first.pid);
    expect(running(dirs(), 'sleeper')).toEqual(first);
    await stopProcess(first);
    expect(isAlive(first)).toBe(false);
    expect(running(dirs(), 'sleeper')).toBeUndefined();
    forgetProcess(dirs(), 'sleeper');
    expect(readRecords(dirs())).toEqual([]);
  });

  it('does not trust a PID file whose process runs another binary (a recycled PID)', () => {
    const record = startProcess(dirs(), 'sleeper', SLEEP, ['30']);
    writeFileSync(join(dirs().run, 'other.json'), JSON.stringify({ ...record, name: 'other', binary: '/bin/true' }));
    expect(running(dirs(), 'other')).toBeUndefined();
    expect(running(dirs(), 'missing')).toBeUndefined();
  });

  it("appends the daemon's output to its log file", async () => {
    startProcess(dirs(), 'echo', '/usr/bin/echo', ['hello from the daemon']);
    const logged = () => readFileSync(logFile(dirs(), 'echo'), 'utf8').includes('hello from the daemon');
    expect(await pollUntil(logged, 5_000)).toBe(true);
  });
});
