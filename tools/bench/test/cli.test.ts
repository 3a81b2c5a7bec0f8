import { parseBenchArgs, UsageError } from '../src/cli';

describe('bench command line', () => {
  it('picks the generator automatically and calibrates by default', () => {
    expect(parseBenchArgs([])).toMatchObject({ generator: 'auto', calibrate: true, window: 128, rounds: 3 });
  });

  it('takes --generator c or node, and --no-calibrate', () => {
    expect(parseBenchArgs(['--generator', 'node', '--no-calibrate'])).toMatchObject({
      generator: 'node',
      calibrate: false,
    });
    expect(parseBenchArgs(['--generator', 'c'])).toMatchObject({ generator: 'c', spin: false });
    expect(parseBenchArgs(['--spin'])).toMatchObject({ generator: 'auto', spin: true });
  });

  it('refuses --spin with the Node generator', () => {
    expect(() => parseBenchArgs(['--generator', 'node', '--spin'])).toThrow(/--spin: only the C generator/);
  });

  it('lists every bad value in one usage error', () => {
    expect.assertions(2);
    try {
      parseBenchArgs(['--generator', 'rust', '--rounds', '0']);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/--generator: expected c or node.*\n--rounds/s);
    }
  });

  it("takes the overload section's receive buffer sizes as a list, and skips the section without one", () => {
    expect(parseBenchArgs([])).toMatchObject({ recvBuffers: [], overloadFactor: 1.5 });
    expect(parseBenchArgs(['--recv-buffers', '262144,4194304', '--overload-factor', '2'])).toMatchObject({
      recvBuffers: [262144, 4194304],
      overloadFactor: 2,
    });
    expect(() => parseBenchArgs(['--recv-buffers', '1024,lots'])).toThrow(/--recv-buffers: expected an integer/);
  });

  it('returns nothing for --help', () => {
    expect(parseBenchArgs(['--help'])).toBeUndefined();
  });
});
