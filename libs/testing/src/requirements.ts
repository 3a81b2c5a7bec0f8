/** Whether the tests run under CI (`CI=true`, as `.ci/run` sets it). */
export const IN_CI = process.env['CI'] === 'true';

/** How a gated suite is declared: as with `describe`. */
export type DeclareSuite = (name: string, body: () => void) => void;
/** How a gated test is declared: as with `it`. */
export type DeclareTest = (name: string, body: jest.ProvidesCallback, timeoutMs?: number) => void;

const fail = (whyNot: string) => (): never => {
  throw new Error(`cannot run here: ${whyNot}. CI=true forbids skipping, so this fails instead.`);
};

/** `declare` when the test can run here; `skip`, saying why, on a developer's machine; `failing` under CI=true. */
function gate<Declare>(canRun: boolean, whyNot: string, declare: Declare, skip: Declare, failing: Declare): Declare {
  if (canRun) return declare;
  if (IN_CI) return failing;
  process.stderr.write(`skipped: ${whyNot} (under CI=true this fails instead)\n`);
  return skip;
}

/**
 * `describe` when the suite can run here. When it cannot: `describe.skip`, with one line saying why, on a
 * developer's machine; under CI=true, one failing test carrying `whyNot` in place of the suite's tests, and none
 * of its hooks run. CI cannot pass by testing nothing.
 */
export function describeIf(canRun: boolean, whyNot: string): DeclareSuite {
  return gate<DeclareSuite>(canRun, whyNot, describe, describe.skip, (name) =>
    describe(name, () => it('has what it needs to run', fail(whyNot))),
  );
}

/** `it` when the test can run here; otherwise skipped with the reason, or under CI=true failing with it. */
export function itIf(canRun: boolean, whyNot: string): DeclareTest {
  return gate<DeclareTest>(canRun, whyNot, it, it.skip, (name) => it(name, fail(whyNot)));
}
