import { spawnProcess, type SpawnedProcess } from '../src';

/** A Node program from source, its output as it runs. */
const node = (source: string): SpawnedProcess => spawnProcess(process.execPath, ['-e', source]);

describe('spawnProcess', () => {
  let startedByTheFirstTest: SpawnedProcess | undefined;

  it('awaits a JSON line written before the call, and one written after it', async () => {
    startedByTheFirstTest = node(
      'console.log(JSON.stringify({ n: 1 })); process.stdin.once("data", () => console.log(JSON.stringify({ n: 2 })));',
    );
    expect(await startedByTheFirstTest.waitForJson((entry) => entry['n'] === 1)).toEqual({ n: 1 });
    const second = startedByTheFirstTest.waitForJson((entry) => entry['n'] === 2);
    startedByTheFirstTest.child.stdin.write('go\n');
    expect(await second).toEqual({ n: 2 });
    expect(startedByTheFirstTest.lines).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('has killed what the test before started, once that test ended', async () => {
    expect(await startedByTheFirstTest!.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('rejects when the process exits without a matching line, showing its output', async () => {
    const child = node('console.log("{}"); console.error("bad things"); process.exit(3)');
    await expect(child.waitForJson((entry) => entry['n'] === 1)).rejects.toThrow(
      /exited without a matching line; stdout:\n\{\}\nstderr:\nbad things/,
    );
    expect(await child.exited).toEqual({ code: 3, signal: null });
  });

  it('rejects at a stdout line that is not JSON', async () => {
    const child = node('console.log("plain text"); setInterval(() => {}, 1000)');
    await expect(child.waitForJson(() => true)).rejects.toThrow(/stdout line 1 is not JSON/);
  });

  it('awaits a plain text line, written before or after the call', async () => {
    const child = node('console.log("one"); process.stdin.once("data", () => console.log("two: done"));');
    expect(await child.waitForLine((line) => line === 'one')).toBe('one');
    const second = child.waitForLine((line) => line.startsWith('two'));
    child.child.stdin.end('go\n');
    expect(await second).toBe('two: done');
    await expect(child.waitForLine((line) => line === 'three')).rejects.toThrow(/exited without a matching line/);
  });

  it('rejects after its timeout', async () => {
    const child = node('setInterval(() => {}, 1000)');
    await expect(child.waitForJson(() => true, 100)).rejects.toThrow(/no matching line within 100 ms/);
  });

  it('stops a process with the signal asked for, and again without harm', async () => {
    const child = node('setInterval(() => {}, 1000)');
    expect(await child.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGTERM' });
  });
});
