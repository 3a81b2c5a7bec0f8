/** Whether the tests run under CI (`CI=true`, as `.ci/run` sets it). */
export const IN_CI = process.env['CI'] === 'true';

/** How a gated suite is declared: as with `describe`. */
export type DeclareSuite = (name: string, body: () => void) => void;
/** How a gated test is declared: as with `it`. */
export type DeclareTest = (name: string, body: jest.ProvidesCallback, timeoutMs?: number) => void;

const failing = (whyNot: string): Error =>
  new Error(`cannot run here: ${whyNot}. CI=true forbids skipping, so this fails instead.`);

function skipping(whyNot: string): void {
  process.stderr.write(`skipped: ${whyNot} (under CI=true this fails instead)\n`);
}

/**
 * `describe` when the suite can run here. When it cannot: `describe.skip`, with one line saying why, on a
 * developer's machine; under CI=true, one failing test carrying `whyNot` in place of the suite's tests, and none
 * of its hooks run. CI cannot pass by testing nothing.
 */
export function describeIf(canRun: boolean, whyNot: string): DeclareSuite {
  if (canRun) return describe;
  if (!IN_CI) {
    skipping(whyNot);
    return describe.skip;
  }
  return (name) =>
    describe(name, () => {
      it('has what it needs to run', () => {
        throw failing(whyNot);
      });
    });
}

/** `it` when the test can run here; otherwise skipped with the reason, or under CI=true failing with it. */
export function itIf(canRun: boolean, whyNot: string): DeclareTest {
  if (canRun) return it;
  if (!IN_CI) {
    skipping(whyNot);
    return it.skip;
  }
  return (name) =>
    it(name, () => {
      throw failing(whyNot);
    });
}
