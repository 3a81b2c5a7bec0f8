import type { RunResult } from '../src/run-result';
import {
  checkIssueTargets,
  checkMinRatios,
  compareServers,
  cpuUsPerReply,
  isNoisy,
  judgeGenerator,
  roundRatios,
  summarizeTarget,
  workerScaling,
  type RoundResult,
} from '../src/summary';
import { serverTargets } from '../src/targets';

function run(
  target: RunResult['target'],
  repliesPerSecond: number,
  cpu: { generator: number; target: number; machine: number; steal?: number },
  p99 = 100,
  lost = 0,
): RoundResult {
  const rttUs = { count: 1, mean: 100, p50: 100, p90: 100, p99, p999: p99, max: p99 };
  const result: RunResult = {
    target,
    generator: 'c',
    mode: 'closed-loop',
    seconds: 1,
    sent: repliesPerSecond,
    answered: repliesPerSecond - lost,
    lost,
    lossPercent: 0,
    repliesPerSecond,
    unexpected: 0,
    rttUs,
    cpuPercent: { steal: 0, ...cpu },
  };
  return { round: 1, noisy: isNoisy(result), ...result };
}

const inRound = (round: number, result: RoundResult): RoundResult => ({ ...result, round });
const quiet = { generator: 50, target: 100, machine: 150 };

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
      run('echo', 100, quiet),
      run('echo', 300, quiet),
      run('echo', 10, { generator: 10, target: 10, machine: 200 }),
      run('batched', 20, { generator: 10, target: 10, machine: 200 }),
      run('batched', 40, { generator: 10, target: 10, machine: 200 }),
    ];
    expect(summarizeTarget('echo', runs)).toMatchObject({ runs: 3, runsUsed: 2, repliesPerSecond: 200 });
    expect(summarizeTarget('batched', runs)).toMatchObject({ runs: 2, runsUsed: 2, repliesPerSecond: 30 });
  });
});

describe('bench per-round ratios', () => {
  it('gives target/baseline for each round in which both runs were quiet', () => {
    const runs = [
      inRound(1, run('echo', 100, quiet)),
      inRound(1, run('dgram', 90, quiet)),
      inRound(2, run('echo', 100, quiet)),
      inRound(2, run('dgram', 110, { generator: 50, target: 50, machine: 200 })),
      inRound(3, run('echo', 50, quiet)),
      inRound(3, run('dgram', 60, quiet)),
    ];
    expect(roundRatios(runs, 'dgram', 'echo')).toEqual([0.9, 1.2]);
  });

  it('uses every round when none was quiet, and skips a round without both targets', () => {
    const noisy = { generator: 50, target: 50, machine: 200 };
    const runs = [
      inRound(1, run('echo', 100, noisy)),
      inRound(1, run('dgram', 80, noisy)),
      inRound(2, run('echo', 100, noisy)),
    ];
    expect(roundRatios(runs, 'dgram', 'echo')).toEqual([0.8]);
  });
});

describe('each server against the echoes', () => {
  const servers = serverTargets(['dgram', 'batched'], [1], []);
  const closed = [
    run('echo', 100_000, quiet),
    run('mmsg-echo', 300_000, quiet),
    run('dgram', 92_000, quiet),
    run('batched', 270_000, quiet),
  ];
  const open = [
    run('echo', 20_000, quiet, 200),
    run('mmsg-echo', 20_000, quiet, 150),
    run('dgram', 20_000, quiet, 300, 2),
    run('batched', 20_000, quiet, 240),
  ];
  const MB = 1_000_000;
  const memory = new Map([
    ['echo', { peakRssBytes: 60 * MB, rssBytes: 50 * MB }],
    ['dgram', { peakRssBytes: 75 * MB, rssBytes: 70 * MB }],
    ['batched', { peakRssBytes: 66 * MB, rssBytes: 62 * MB }],
  ]);
  const comparisons = compareServers(servers, closed, open, memory);

  it('gives ratios to both echoes, the open-loop p99 against the echo, and RSS over it', () => {
    expect(comparisons.map((c) => c.target.name)).toEqual(['dgram', 'batched']);
    const [dgram, batched] = comparisons;
    expect(dgram!.toEcho?.value).toBeCloseTo(0.92);
    expect(batched!.toMmsgEcho?.value).toBeCloseTo(0.9);
    expect(batched!.toMmsgEcho?.perRound).toEqual([0.9]);
    expect(dgram!.p99ToEcho).toBeCloseTo(1.5);
    expect(batched!.p99ToEcho).toBeCloseTo(1.2);
    expect(dgram!.peakRssOverEchoBytes).toBe(15 * MB);
  });

  it("checks the issue's targets, each met or not, with what was measured", () => {
    expect(checkIssueTargets(comparisons, open)).toEqual([
      { what: 'dgram ≥ 0.9× the naive echo', measured: '0.92×', met: true },
      { what: "dgram: p99 at the fixed rate ≤ 1.25× the naive echo's", measured: '1.50×', met: false },
      { what: 'dgram: no loss below saturation', measured: '2 lost', met: false },
      { what: "dgram: peak RSS ≤ the naive echo's + 10 MB", measured: '+15.0 MB', met: false },
      { what: 'batched ≥ 0.8× the C mmsg echo (stretch 1.0)', measured: '0.90×', met: true },
      { what: "batched: p99 at the fixed rate ≤ 1.25× the naive echo's", measured: '1.20×', met: true },
      { what: 'batched: no loss below saturation', measured: '0 lost', met: true },
      { what: "batched: peak RSS ≤ the naive echo's + 10 MB", measured: '+6.0 MB', met: true },
    ]);
  });

  it('holds --min-ratio pairs to their minimum, and fails one whose target was not measured', () => {
    expect(
      checkMinRatios(
        [
          { target: 'dgram', baseline: 'echo', min: 0.9 },
          { target: 'batched', baseline: 'mmsg-echo', min: 0.95 },
          { target: 'batched-w2', baseline: 'batched', min: 1.5 },
        ],
        closed,
      ),
    ).toEqual([
      { target: 'dgram', baseline: 'echo', min: 0.9, actual: 0.92, met: true },
      { target: 'batched', baseline: 'mmsg-echo', min: 0.95, actual: 0.9, met: false },
      { target: 'batched-w2', baseline: 'batched', min: 1.5, actual: undefined, met: false },
    ]);
  });
});

describe('bench worker scaling', () => {
  it("gives each path's rate at each worker count over its one-worker rate", () => {
    const servers = serverTargets(['batched'], [1, 2], ['scraped']);
    expect(servers.map((s) => s.name)).toEqual(['batched', 'batched-w2', 'batched+scraped']);
    const closed = [
      run('batched', 200_000, { generator: 90, target: 95, machine: 190 }),
      run('batched-w2', 300_000, { generator: 90, target: 150, machine: 195 }),
    ];
    expect(workerScaling(servers, closed)).toEqual([
      {
        path: 'batched',
        rows: [
          { workers: 1, repliesPerSecond: 200_000, toOneWorker: 1, targetCpuPercent: 95 },
          { workers: 2, repliesPerSecond: 300_000, toOneWorker: 1.5, targetCpuPercent: 150 },
        ],
      },
    ]);
    expect(workerScaling(serverTargets(['batched'], [1], []), closed)).toEqual([]);
  });
});

describe('bench bottleneck verdict', () => {
  const echo = summarizeTarget('echo', [run('echo', 50_000, { generator: 50, target: 99, machine: 150 })]);
  const server = summarizeTarget('dgram', [run('dgram', 45_000, { generator: 45, target: 98, machine: 145 })]);

  it('clears the generator when every target is saturated and it is clearly cheaper per reply', () => {
    expect(judgeGenerator(echo, [server])).toMatchObject({
      targetsSaturated: true,
      generatorCheaper: true,
      calibrationHeadroom: undefined,
      drivesFasterTarget: false,
      generatorNotBottleneck: true,
    });
  });

  it('clears the generator when it drives the C echo much faster than the naive echo', () => {
    const idle = summarizeTarget('batched', [run('batched', 30_000, { generator: 90, target: 60, machine: 150 })]);
    const mmsgEcho = summarizeTarget('mmsg-echo', [
      run('mmsg-echo', 150_000, { generator: 90, target: 60, machine: 150 }),
    ]);
    const verdict = judgeGenerator(echo, [idle], mmsgEcho);
    expect(verdict).toMatchObject({ targetsSaturated: false, drivesFasterTarget: true, generatorNotBottleneck: true });
    expect(verdict.calibrationHeadroom).toBeCloseTo(3);
  });

  it('does not clear a generator that works as hard as the targets and cannot go faster', () => {
    const busyEcho = summarizeTarget('echo', [run('echo', 50_000, { generator: 95, target: 99, machine: 194 })]);
    const mmsgEcho = summarizeTarget('mmsg-echo', [
      run('mmsg-echo', 55_000, { generator: 100, target: 50, machine: 150 }),
    ]);
    expect(judgeGenerator(busyEcho, [server], mmsgEcho)).toMatchObject({
      targetsSaturated: true,
      generatorCheaper: false,
      drivesFasterTarget: false,
      generatorNotBottleneck: false,
    });
  });
});
