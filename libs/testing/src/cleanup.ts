import { runInThisContext } from 'node:vm';

/**
 * When what a helper made goes away: made while a test runs (in its beforeEach hooks, its body or its afterEach
 * hooks), after that test; made anywhere else (at import, in a describe body, in beforeAll), after the test file.
 * Either way it goes even when the test fails, and at the latest when the process exits.
 *
 * Jest gives each test file its own copy of this module, so the two scopes below are per file; the exit fallback
 * is per process.
 */

type Release = () => void | Promise<void>;

interface Entry {
  readonly release: Release;
  readonly atExit: (() => void) | undefined;
}

const testScope = new Set<Entry>();
const fileScope = new Set<Entry>();
let inTest = false;

/**
 * The process itself, not Jest's per-file stand-in: Jest hands test code a copy of `process` whose events never
 * fire, which is why `process.on('exit')` in a test file cleans up nothing. Code run in this context sees the real one.
 */
const realProcess = runInThisContext('process') as NodeJS.Process;

interface ExitRegistry {
  readonly atExit: Set<() => void>;
}
const REGISTRY = Symbol.for('ricochet.testing.atExit');

/** One exit listener per process, shared by every test file's copy of this module. */
function exitRegistry(): ExitRegistry {
  const holder = realProcess as unknown as Record<symbol, ExitRegistry | undefined>;
  let registry = holder[REGISTRY];
  if (registry === undefined) {
    const created: ExitRegistry = { atExit: new Set() };
    holder[REGISTRY] = registry = created;
    realProcess.once('exit', () => {
      for (const release of [...created.atExit].reverse()) {
        try {
          release();
        } catch {
          // Exiting: nothing is left to report to, and the next release must still run.
        }
      }
    });
  }
  return registry;
}

async function releaseAll(scope: Set<Entry>): Promise<void> {
  const entries = [...scope].reverse();
  scope.clear();
  const errors: unknown[] = [];
  for (const entry of entries) {
    if (entry.atExit) exitRegistry().atExit.delete(entry.atExit);
    try {
      await entry.release();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} cleanups failed`);
}

// Outermost hooks of the test file that imports this module: its beforeEach runs before every other, its
// afterEach and afterAll after every other, so a test's own hooks still find what it made. Outside Jest (a bench
// or a script using these helpers) there are no hooks: things go when released or when the process exits.
if (typeof afterAll === 'function') {
  try {
    beforeEach(() => {
      inTest = true;
    });
    afterEach(async () => {
      inTest = false;
      await releaseAll(testScope);
    });
    afterAll(() => releaseAll(fileScope));
  } catch {
    // Loaded while tests run (jest.isolateModules in a test): hooks can no longer be added; the exit fallback stays.
  }
}

/**
 * Registers `release` to run when the current scope ends (see above), last registered first, and `atExit` (which
 * must be synchronous: the process is exiting) in case it never does. Returns a function that forgets both, for
 * when the thing was released early by its owner.
 */
export function deferCleanup(release: Release, atExit?: () => void): () => void {
  const entry: Entry = { release, atExit };
  const scope = inTest ? testScope : fileScope;
  scope.add(entry);
  if (atExit) exitRegistry().atExit.add(atExit);
  return () => {
    scope.delete(entry);
    if (atExit) exitRegistry().atExit.delete(atExit);
  };
}
