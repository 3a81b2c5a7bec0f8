import { join } from 'node:path';
import { MessageType } from '@ricochet/protocol';
import { describeIf, makeTempDir, requireTools } from '@ricochet/testing';
import { cGeneratorArgs, cpuPercentsFrom, parseCGeneratorOutput, runCGenerator } from '../src/c-generator';
import { CompilerMissingError, MMSG_LOAD, compileNative, compilerCommand } from '../src/native-build';
import type { RunTarget } from '../src/run-result';
import { startTarget } from '../src/child-process';
import { startEcho } from './echo-target';

const target: RunTarget = { name: 'server', port: 4242, pid: 99, replyType: MessageType.PONG };

const OUTPUT = {
  generator: 'mmsg-load',
  mode: 'closed-loop',
  window: 128,
  seconds: 2,
  sent: 100_000,
  received: 99_990,
  answered: 99_950,
  lost: 50,
  unexpected: 3,
  sendErrors: 0,
  recvErrors: 0,
  repliesPerSecond: 49_995,
  rttUs: { count: 99_950, mean: 2500, p50: 2400, p90: 3000, p99: 4000, p999: 5000, max: 6000 },
  syscalls: { sendmmsg: 60_000, recvmmsg: 40_000 },
  cpu: {
    wallUs: 2_000_000,
    generatorUs: 1_000_000,
    generatorUsTotal: 1_300_000,
    targetTicks: 200,
    machineBusyTicks: 300,
    machineStealTicks: 4,
    clockTicksPerSecond: 100,
  },
};

describe('bench C generator: its command line and output', () => {
  it('passes a window for the closed loop and a rate for the open loop, with the target it measures', () => {
    const common = {
      binary: 'x',
      target,
      payloadBytes: 56,
      warmupMs: 1000,
      durationMs: 5000,
      timeoutMs: 1000,
      spin: false,
    };
    const closed = cGeneratorArgs({ ...common, maxRequests: 10, load: { window: 64 } });
    expect(closed).toEqual(expect.arrayContaining(['--window', '64', '--port', '4242', '--target-pid', '99']));
    expect(closed).not.toContain('--rate');
    expect(closed.join(' ')).toContain('--reply-type 129');
    expect(closed.join(' ')).toContain('--wait block');
    expect(cGeneratorArgs({ ...common, spin: true, maxRequests: 10, load: { window: 64 } }).join(' ')).toContain(
      '--wait spin',
    );
    expect(closed.join(' ')).toContain('--flows 1');
    expect(cGeneratorArgs({ ...common, flows: 16, maxRequests: 10, load: { window: 64 } }).join(' ')).toContain(
      '--flows 16',
    );
    const open = cGeneratorArgs({ ...common, maxRequests: 10, load: { rate: 20_000 } });
    expect(open.join(' ')).toContain('--rate 20000');
    expect(open).not.toContain('--window');
  });

  it('turns the JSON line into a run result with CPU in % of one core', () => {
    const run = parseCGeneratorOutput(`noise\n${JSON.stringify(OUTPUT)}\n`, target);
    expect(run).toMatchObject({
      target: 'server',
      generator: 'c',
      mode: 'closed-loop',
      sent: 100_000,
      answered: 99_950,
      lost: 50,
      lossPercent: 0.05,
      repliesPerSecond: 49_995,
      unexpected: 3,
      rttUs: OUTPUT.rttUs,
    });
    expect(run.cpuPercent.generator).toBeCloseTo(50);
    expect(run.cpuPercent.target).toBeCloseTo(100);
    expect(run.cpuPercent.machine).toBeCloseTo(150);
    expect(run.cpuPercent.steal).toBeCloseTo(2);
    expect(run.generatorSyscallsPerReply).toBeCloseTo(100_000 / 99_990);
  });

  it('reports a CPU figure the generator could not read as NaN', () => {
    const cpu = cpuPercentsFrom({ ...OUTPUT.cpu, targetTicks: null, generatorUs: null });
    expect(cpu.target).toBeNaN();
    expect(cpu.generator).toBeNaN();
    expect(cpu.machine).toBeCloseTo(150);
  });

  it('rejects output that is not its JSON result', () => {
    expect(() => parseCGeneratorOutput('segfault\n', target)).toThrow(/no JSON result/);
    expect(() => parseCGeneratorOutput('{"generator":"other"}', target)).toThrow(/unexpected result/);
  });

  it('says plainly that a C compiler is missing, and how to do without', () => {
    expect.assertions(2);
    try {
      compileNative(MMSG_LOAD, 'ricochet-no-such-cc');
    } catch (err) {
      expect(err).toBeInstanceOf(CompilerMissingError);
      expect((err as Error).message).toMatch(/ricochet-no-such-cc.*not found.*--generator node/s);
    }
  });
});

describeIf(...requireTools(compilerCommand()))('bench C generator on loopback', () => {
  let binary: string;

  beforeAll(() => {
    const dir = makeTempDir('bench-mmsg-load');
    // Jest runs in the project's directory; the bench, from the workspace root.
    binary = compileNative({ source: join(__dirname, '../native/mmsg-load.c'), binary: join(dir, 'mmsg-load') });
  });

  const timing = {
    payloadBytes: 24,
    warmupMs: 50,
    durationMs: 300,
    timeoutMs: 1000,
    maxRequests: 100_000,
    spin: false,
  };

  it('keeps the window in flight against the real server and loses nothing', async () => {
    // The server bundle as the bench runs it (the test target depends on udp-server:build).
    const server = await startTarget({
      name: 'server',
      command: process.execPath,
      args: [join(__dirname, '../../../dist/apps/udp-server/main.js')],
      env: { LOG_LEVEL: 'warn', METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' },
      replyType: MessageType.PONG,
    });
    try {
      const run = await runCGenerator({ ...timing, binary, target: server, load: { window: 16 } });
      expect(run).toMatchObject({ mode: 'closed-loop', lost: 0, unexpected: 0 });
      expect(run.sent).toBeGreaterThan(16); // more than one window: answered requests were replaced
      expect(run.answered).toBe(run.sent);
      expect(run.rttUs.count).toBe(run.answered);
      expect(run.rttUs.p50).toBeGreaterThan(0);
      expect(run.rttUs.p99).toBeGreaterThanOrEqual(run.rttUs.p50);
      expect(run.cpuPercent.generator).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  }, 20_000);

  it('counts requests that time out as lost, and keeps the window going', async () => {
    // Answer only even request ids (bytes 4–7, big-endian).
    const target = await startEcho((m) => m.readUInt32BE(4) % 2 === 0);
    const run = await runCGenerator({ ...timing, timeoutMs: 30, binary, target, load: { window: 4 } });
    expect(run.lost).toBeGreaterThan(0);
    expect(run.answered).toBeGreaterThan(0);
    expect(run.answered + run.lost).toBe(run.sent);
  }, 20_000);

  it('does not take a reply of the wrong type for an answer', async () => {
    const target = await startEcho();
    // The echo returns PINGs, but this run expects PONGs.
    const run = await runCGenerator({
      ...timing,
      timeoutMs: 30,
      binary,
      target: { ...target, replyType: MessageType.PONG },
      load: { window: 4 },
    });
    expect(run.answered).toBe(0);
    expect(run.lost).toBe(run.sent);
    expect(run.unexpected).toBeGreaterThan(0);
  }, 20_000);

  it('polls for replies with --wait spin and still loses nothing', async () => {
    const target = await startEcho();
    const run = await runCGenerator({ ...timing, spin: true, binary, target, load: { window: 8 } });
    expect(run).toMatchObject({ lost: 0, unexpected: 0 });
    expect(run.answered).toBe(run.sent);
    // Polling makes far more recvmmsg calls than there are replies.
    expect(run.generatorSyscallsPerReply).toBeGreaterThan(2);
  }, 20_000);

  it('sends at the fixed rate in the open loop', async () => {
    const target = await startEcho();
    const run = await runCGenerator({ ...timing, durationMs: 500, binary, target, load: { rate: 2000 } });
    expect(run.mode).toBe('open-loop');
    expect(run.sent).toBeGreaterThanOrEqual(900);
    expect(run.sent).toBeLessThanOrEqual(1100);
    expect(run.lost).toBe(0);
    expect(run.answered).toBe(run.sent);
  }, 20_000);

  it('spreads requests over --flows sockets, each its own source port, in both loops, and loses nothing', async () => {
    for (const [flows, load] of [
      [4, { window: 16 }],
      [3, { rate: 2000 }],
    ] as const) {
      const ports = new Set<number>();
      const target = await startEcho((_datagram, sourcePort) => ports.add(sourcePort) !== undefined);
      const run = await runCGenerator({ ...timing, binary, target, load, flows });
      expect({ flows, lost: run.lost, ports: ports.size }).toEqual({ flows, lost: 0, ports: flows });
      expect(run.answered).toBe(run.sent);
    }
  }, 20_000);

  it('exits with a usage error for a bad command line', async () => {
    const target = await startEcho();
    await expect(runCGenerator({ ...timing, binary, target, load: { window: 0 } })).rejects.toThrow(
      /exited with code 64.*--window/s,
    );
  }, 20_000);
});
