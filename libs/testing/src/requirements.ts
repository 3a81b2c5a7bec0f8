/** Whether the tests run under CI (`CI=true`, as `.ci/run` sets it). */
export const IN_CI = process.env['CI'] === 'true';

/**
 * `describe` when the suite can run here, `describe.skip` (with one line saying why) when it cannot. Under CI a
 * missing requirement never skips: the suite runs and its beforeAll must fail with the reason, so CI cannot pass
 * by testing nothing.
 */
export function describeIf(canRun: boolean, whyNot: string): jest.Describe {
  if (canRun || IN_CI) return describe;
  process.stderr.write(`skipped: ${whyNot} (under CI=true this fails instead)\n`);
  return describe.skip;
}
