import { MessageType } from '@ricochet/protocol';
import type { ClosedOrOpenLoad } from '../src/c-generator';
import { runNodeGenerator, tableSize } from '../src/node-generator';
import type { RunTarget } from '../src/run-result';
import { startEcho } from './echo-target';

describe('bench Node generator on loopback', () => {
  const run = (target: RunTarget, load: ClosedOrOpenLoad, timeoutMs = 1000) =>
    runNodeGenerator({
      target,
      load,
      payloadBytes: 24,
      warmupMs: 50,
      durationMs: 300,
      timeoutMs,
      maxRequests: 100_000,
      samples: new Float32Array(100_000),
    });

  it('keeps the window in flight and loses nothing', async () => {
    const result = await run(await startEcho(), { window: 8 });
    expect(result).toMatchObject({ generator: 'node', mode: 'closed-loop', lost: 0, unexpected: 0 });
    // More than one window's worth: answered requests were replaced by new ones (how many depends on the machine).
    expect(result.sent).toBeGreaterThan(8);
    expect(result.answered).toBe(result.sent);
    expect(result.rttUs.count).toBe(result.answered);
  }, 20_000);

  it('counts requests that time out as lost, and keeps the window going', async () => {
    const result = await run(await startEcho((m) => m.readUInt32BE(4) % 2 === 0), { window: 4 }, 30);
    expect(result.lost).toBeGreaterThan(0);
    expect(result.answered).toBeGreaterThan(0);
    expect(result.answered + result.lost).toBe(result.sent);
  }, 20_000);

  it('does not take a reply of the wrong type for an answer', async () => {
    const target = await startEcho();
    const result = await run({ ...target, replyType: MessageType.PONG }, { window: 4 }, 30);
    expect(result.answered).toBe(0);
    expect(result.lost).toBe(result.sent);
    expect(result.unexpected).toBeGreaterThan(0);
  }, 20_000);

  it('sends at the fixed rate in the open loop', async () => {
    const result = await run(await startEcho(), { rate: 2000 });
    expect(result.mode).toBe('open-loop');
    // 2000/s over the measured window, paced from a 1 ms timer that catches up when it runs late.
    expect(result.sent / result.seconds).toBeGreaterThan(1700);
    expect(result.sent / result.seconds).toBeLessThan(2300);
    expect(result.lost).toBe(0);
    expect(result.answered).toBe(result.sent);
  }, 20_000);

  it('sizes its table of outstanding requests to hold one timeout period twice over', () => {
    expect(tableSize({ rate: 1000 }, 1000)).toBe(2048);
    expect(tableSize({ rate: 10 }, 100)).toBe(1024);
    expect(tableSize({ window: 128 }, 1000)).toBe(2 ** 22);
  });
});
