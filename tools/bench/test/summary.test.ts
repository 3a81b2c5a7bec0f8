import type { RunResult } from '../src/run-result';
import {
  compare,
  cpuUsPerReply,
  isNoisy,
  judgeGenerator,
  roundRatios,
  summarizeTarget,
  type RoundResult,
} from '../src/summary';

function run(
  target: RunResult['target'],
  repliesPerSecond: number,
  cpu: { generator: number; target: number; machine: number; steal?: number },
): RoundResult {
  const rttUs = { count: 1, mean: 100, p50: 100, p90: 100, p99: 100, p999: 100, max: 100 };
  const result: RunResult = {
    target,
    generator: 'c',
    mode: 'closed-loop',
    seconds: 1,
    sent: repliesPerSecond,
    answered: repliesPerSecond,
    lost: 0,
    lossPercent: 0,
    repliesPerSecond,
    unexpected: 0,
    rttUs,
    cpuPercent: { steal: 0, ...cpu },
  };
  return { round: 1, noisy: isNoisy(result), ...result };
}

describe('bench summary', () => {
  it('turns a CPU share and a rate into CPU µs per reply', () => {
    expect(cpuUsPerReply(50, 10_000)).toBeCloseTo(50);
    expect(cpuUsPerReply(50, 0)).toBeNaN();
  });

  it('marks a run noisy when the rest of the machine used more than 15% of a core', () => {
    expect(run('echo', 1000, { generator: 90, target: 95, machine: 195 }).noisy).toBe(false);
    expect(run('echo', 1000, { generator: 90, target: 95, machine: 130 }).noisy).toBe(false);
    expect(run('echo', 1000, { generator: 50, target: 50, machine: 200 }).noisy).toBe(true);
  });

  it('marks a run noisy when the hypervisor stole more than 5% of a core', () => {
    expect(run('echo', 1000, { generator: 90, target: 95, machine: 190, steal: 2 }).noisy).toBe(false);
    expect(run('echo', 1000, { generator: 90, target: 95, machine: 190, steal: 8 }).noisy).toBe(true);
  });

  it('takes medians over the quiet runs only, and over all runs when none was quiet', () => {
    const runs = [
      run('echo', 100, { generator: 50, target: 100, machine: 150 }),
      run('echo', 300, { generator: 50, target: 100, machine: 150 }),
      run('echo', 10, { generator: 10, target: 10, machine: 200 }),
      run('server', 20, { generator: 10, target: 10, machine: 200 }),
      run('server', 40, { generator: 10, target: 10, machine: 200 }),
    ];
    expect(summarizeTarget('echo', runs)).toMatchObject({ runs: 3, runsUsed: 2, repliesPerSecond: 200 });
    expect(summarizeTarget('server', runs)).toMatchObject({ runs: 2, runsUsed: 2, repliesPerSecond: 30 });
  });

  it('compares the server with the echo and judges the generator by its CPU per reply', () => {
    const echo = summarizeTarget('echo', [run('echo', 100_000, { generator: 50, target: 100, machine: 150 })]);
    const server = summarizeTarget('server', [run('server', 90_000, { generator: 45, target: 100, machine: 145 })]);
    const comparison = compare(echo, server);
    expect(comparison.ratio).toBeCloseTo(0.9);
    expect(comparison.met).toBe(true);
    expect(comparison.cpuEfficiencyRatio).toBeCloseTo(0.9);
    expect(comparison.generator).toBe('headroom');

    const costlyGenerator = summarizeTarget('echo', [
      run('echo', 100_000, { generator: 95, target: 100, machine: 195 }),
    ]);
    expect(compare(costlyGenerator, server).generator).toBe('marginal');
    const slowServer = summarizeTarget('server', [run('server', 50_000, { generator: 60, target: 50, machine: 110 })]);
    expect(compare(echo, slowServer)).toMatchObject({ met: false, generator: 'limiting' });
  });
});

describe('bench bottleneck verdict', () => {
  const echo = summarizeTarget('echo', [run('echo', 50_000, { generator: 50, target: 99, machine: 150 })]);
  const server = summarizeTarget('server', [run('server', 45_000, { generator: 45, target: 98, machine: 145 })]);

  it('clears the generator when both targets are saturated and it is clearly cheaper per reply', () => {
    expect(judgeGenerator(echo, server, compare(echo, server))).toEqual({
      targetsSaturated: true,
      generatorCheaper: true,
      calibrationHeadroom: undefined,
      drivesFasterTarget: false,
      generatorNotBottleneck: true,
    });
  });

  it('clears the generator when it drives the C echo much faster than the naive echo', () => {
    const idleServer = summarizeTarget('server', [run('server', 30_000, { generator: 90, target: 60, machine: 150 })]);
    const mmsgEcho = summarizeTarget('mmsg-echo', [
      run('mmsg-echo', 150_000, { generator: 90, target: 60, machine: 150 }),
    ]);
    const verdict = judgeGenerator(echo, idleServer, compare(echo, idleServer), mmsgEcho);
    expect(verdict).toMatchObject({ targetsSaturated: false, drivesFasterTarget: true, generatorNotBottleneck: true });
    expect(verdict.calibrationHeadroom).toBeCloseTo(3);
  });

  it('does not clear a generator that works as hard as the targets and cannot go faster', () => {
    const busyEcho = summarizeTarget('echo', [run('echo', 50_000, { generator: 95, target: 99, machine: 194 })]);
    const mmsgEcho = summarizeTarget('mmsg-echo', [
      run('mmsg-echo', 55_000, { generator: 100, target: 50, machine: 150 }),
    ]);
    expect(judgeGenerator(busyEcho, server, compare(busyEcho, server), mmsgEcho)).toMatchObject({
      targetsSaturated: true,
      generatorCheaper: false,
      drivesFasterTarget: false,
      generatorNotBottleneck: false,
    });
  });
});

describe('bench per-round ratios', () => {
  const inRound = (round: number, result: RoundResult): RoundResult => ({ ...result, round });

  it('gives server/echo for each round in which both runs were quiet', () => {
    const quiet = { generator: 50, target: 100, machine: 150 };
    const runs = [
      inRound(1, run('echo', 100, quiet)),
      inRound(1, run('server', 90, quiet)),
      inRound(2, run('echo', 100, quiet)),
      inRound(2, run('server', 110, { generator: 50, target: 50, machine: 200 })),
      inRound(3, run('echo', 50, quiet)),
      inRound(3, run('server', 60, quiet)),
    ];
    expect(roundRatios(runs)).toEqual([0.9, 1.2]);
  });

  it('uses every round when none was quiet, and skips a round without both targets', () => {
    const noisy = { generator: 50, target: 50, machine: 200 };
    const runs = [
      inRound(1, run('echo', 100, noisy)),
      inRound(1, run('server', 80, noisy)),
      inRound(2, run('echo', 100, noisy)),
    ];
    expect(roundRatios(runs)).toEqual([0.8]);
  });
});
