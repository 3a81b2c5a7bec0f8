import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describeIf, runOk } from '@ricochet/testing';

// `npm start` as a supervisor runs it: a process tree (npm → dev.mjs [→ dev.mjs under Node 24] → server) that
// must stop, drained, however it is told to. The bundles are built by the test target's dependsOn, so the
// start-up build is a cache hit.
const ROOT = join(__dirname, '..', '..', '..');
/** The Debian Node the machine came with: dev.mjs re-runs itself under Node 24 from there. */
const OLD_NODE = '/usr/bin/node';
const SERVER_FLAGS = ['--host', '127.0.0.1', '--port', '0', '--metrics-host', '127.0.0.1', '--metrics-port', '0'];

interface Started {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Resolves with the first log line that matches, past or future. */
  waitFor(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/** Every process below `pid`, children before their own children, from /proc's parent links. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited while we read
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const children = parents.get(queue.shift()!) ?? [];
    found.push(...children);
    queue.push(...children);
  }
  return found;
}

const started: ChildProcess[] = [];
afterEach(() => {
  // Whatever a failed test left running, the server included (it has a process group of its own).
  for (const child of started.splice(0)) {
    if (child.pid === undefined) continue;
    for (const pid of [child.pid, ...descendants(child.pid)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

function start(command: string, args: readonly string[]): Started {
  // A group of its own, as a terminal's job is: a Ctrl-C reaches every process in it.
  const child = spawn(command, [...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DRAIN_SECONDS: '0.5', NX_DAEMON: 'false' },
  });
  started.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    // Nx's build lines come first; the server's are JSON.
    if (!text.startsWith('{')) return;
    lines.push(JSON.parse(text) as Record<string, unknown>);
    for (const wake of waiters) wake();
  });
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const waitFor: Started['waitFor'] = (match) =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = lines.find(match);
        if (found === undefined) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      void exited.then(([code]) =>
        reject(new Error(`exited (${code}) before the log line; got ${JSON.stringify(lines)}`)),
      );
      check();
    });
  return { child, lines, exited, waitFor };
}

async function udpPortIsFree(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  try {
    socket.bind(port, '127.0.0.1');
    await once(socket, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    socket.close();
  }
}

/**
 * Waits until serving, signals as `stop` says, and checks that the server drained and let go of its port, and how
 * the top process ended (by default, exit 0: the server's own status).
 */
async function expectDrainedStop(
  entry: Started,
  stop: (pid: number) => void,
  ended: { code: number | null; signal?: NodeJS.Signals } = { code: 0 },
): Promise<void> {
  const listening = await entry.waitFor((line) => line['msg'] === 'listening');
  const port = (listening['address'] as { port: number }).port;
  stop(entry.child.pid!);
  const [code, signal] = await entry.exited;
  const transitions = entry.lines.filter((line) => 'to' in line).map((line) => line['to']);
  expect({ code, signal: signal ?? undefined, transitions }).toEqual({
    ...ended,
    transitions: ['serving', 'draining', 'stopped'],
  });
  expect(await udpPortIsFree(port)).toBe(true);
}

/**
 * npm start runs `npm ci` first when node_modules is older than package-lock.json (tools/workspace/dev.mjs keeps a digest
 * of the lock it installed). Doing that here would pull node_modules from under every other test running at the
 * same time, so the suite insists on an up-to-date install instead; `npm test` makes one before any test runs.
 */
beforeAll(() => {
  const stamp = join(ROOT, 'node_modules', '.ricochet-lock-digest');
  const digest = createHash('sha256')
    .update(readFileSync(join(ROOT, 'package-lock.json')))
    .update(process.version)
    .digest('hex');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    throw new Error('node_modules is older than package-lock.json: run `npm test` or `npm start` once, then this');
  }
});

const describeWithOldNode = describeIf(existsSync(OLD_NODE), `no older Node at ${OLD_NODE} to start from`);

describe('npm start under a supervisor', () => {
  it('drains and exits 0 when npm itself gets SIGTERM', async () => {
    await expectDrainedStop(start('npm', ['start', '--', ...SERVER_FLAGS]), (pid) => process.kill(pid, 'SIGTERM'));
  });

  it('drains once, not "exit now", when a Ctrl-C reaches the whole process group', async () => {
    await expectDrainedStop(start('npm', ['start', '--', ...SERVER_FLAGS]), (pid) => process.kill(-pid, 'SIGINT'));
  });

  it('drains when the terminal goes away (SIGHUP to the whole process group)', async () => {
    // npm itself dies of the hangup, as a shell's job does; what is under it must still drain.
    await expectDrainedStop(start('npm', ['start', '--', ...SERVER_FLAGS]), (pid) => process.kill(-pid, 'SIGHUP'), {
      code: null,
      signal: 'SIGHUP',
    });
  });
});

describe('npm start, as a person runs it', () => {
  it('serves ricochet_build_info with the commit the bundle was built from, not "unknown"', async () => {
    const entry = start('npm', ['start', '--', ...SERVER_FLAGS]);
    const http = await entry.waitFor((line) => line['msg'] === 'metrics and health endpoints listening');
    const metrics = await (
      await fetch(`http://127.0.0.1:${(http['address'] as { port: number }).port}/metrics`)
    ).text();
    const commit = /^ricochet_build_info\{[^}]*commit="([^"]+)"/m.exec(metrics)?.[1];
    // What the build stamped: this checkout's HEAD, -dirty while the server's sources have uncommitted changes.
    const stamp = (await runOk(process.execPath, ['apps/udp-server/build/commit-stamp.mjs'], { cwd: ROOT })).stdout;
    expect(commit).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
    expect(commit).toBe(stamp.trim());
    await expectDrainedStop(entry, (pid) => process.kill(pid, 'SIGTERM'));
  });
});

describeWithOldNode('npm start from an older Node, which re-runs it under Node 24', () => {
  it('passes a SIGTERM on through both stages to the server', async () => {
    await expectDrainedStop(start(OLD_NODE, ['tools/workspace/dev.mjs', 'start', ...SERVER_FLAGS]), (pid) =>
      process.kill(pid, 'SIGTERM'),
    );
  });
});
