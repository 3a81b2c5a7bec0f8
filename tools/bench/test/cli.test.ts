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

  it('measures both socket paths at one worker and 20 000/s by default, and takes other paths and counts', () => {
    expect(parseBenchArgs([])).toMatchObject({
      paths: ['dgram', 'batched'],
      workers: [1],
      flows: 1,
      rate: 20_000,
      variants: [],
      minRatios: [],
    });
    expect(parseBenchArgs(['--paths', 'batched', '--workers', '1,2'])).toMatchObject({
      paths: ['batched'],
      workers: [1, 2],
      flows: 16,
    });
    expect(parseBenchArgs(['--workers', '2', '--flows', '4'])).toMatchObject({ flows: 4 });
    expect(() => parseBenchArgs(['--paths', 'uring'])).toThrow(/--paths: expected dgram or batched, got "uring"/);
    expect(() => parseBenchArgs(['--generator', 'node', '--flows', '2'])).toThrow(/--flows: only the C generator/);
  });

  it('takes the tail variants by name, or all of them', () => {
    expect(parseBenchArgs(['--variants', 'scraped,no-gc-observer'])).toMatchObject({
      variants: ['scraped', 'no-gc-observer'],
    });
    expect(parseBenchArgs(['--variants', 'all'])?.variants).toContain('no-loop-monitor');
    expect(() => parseBenchArgs(['--variants', 'no-kernel'])).toThrow(/--variants: expected .*, got "no-kernel"/);
  });

  it('takes --min-ratio as target/baseline=ratio, repeated, and refuses another shape', () => {
    expect(
      parseBenchArgs(['--min-ratio', 'dgram/echo=0.9', '--min-ratio', 'batched-w2/batched=1.4'])?.minRatios,
    ).toEqual([
      { target: 'dgram', baseline: 'echo', min: 0.9 },
      { target: 'batched-w2', baseline: 'batched', min: 1.4 },
    ]);
    expect(() => parseBenchArgs(['--min-ratio', 'dgram>0.9'])).toThrow(
      /--min-ratio: expected <target>\/<baseline>=<ratio>/,
    );
  });

  it('takes taskset CPU lists for the generator and the targets, unpinned by default', () => {
    expect(parseBenchArgs([])).toMatchObject({ generatorCpus: undefined, targetCpus: undefined });
    expect(parseBenchArgs(['--generator-cpus', '0-1', '--target-cpus', '2-5,8'])).toMatchObject({
      generatorCpus: '0-1',
      targetCpus: '2-5,8',
    });
    expect(() => parseBenchArgs(['--target-cpus', 'two'])).toThrow(/--target-cpus: expected a CPU list .*got "two"/);
  });

  it('returns nothing for --help', () => {
    expect(parseBenchArgs(['--help'])).toBeUndefined();
  });
});
