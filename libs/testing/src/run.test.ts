import { run, runOk } from './run';

describe('run', () => {
  it('captures stdout, stderr and the exit code without rejecting for a failure', async () => {
    const result = await run(process.execPath, [
      '-e',
      'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)',
    ]);
    expect(result).toMatchObject({ code: 3, stdout: 'out', stderr: 'err' });
  });

  it('feeds input to stdin', async () => {
    const result = await run(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'hello' });
    expect(result.stdout).toBe('hello');
  });

  it('kills a program that outlives its timeout', async () => {
    const result = await run(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 200 });
    expect(result.code).toBeNull();
  });
});

describe('runOk', () => {
  it('rejects with the command line and its output when the program fails', async () => {
    await expect(runOk(process.execPath, ['-e', 'console.error("boom"); process.exit(1)'])).rejects.toThrow(
      /exited 1:\nboom/,
    );
  });
});
