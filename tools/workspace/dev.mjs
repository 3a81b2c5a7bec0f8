#!/usr/bin/env node
// The README's commands. Runs on any Node >= 20 with npm; brings Node 24 and the project's dependencies itself,
// then re-runs under Node 24.
//   npm start [-- server flags]   build and run the UDP server (UDP 0.0.0.0:9999, JSON logs on stdout)
//   npm test                      every check over every project (pipeline.mjs); ends with "N passed, M failed"
//   npm run pipeline              the same steps over what changed, then the image and the staging deploy
import { spawnSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, ensureNode, toolsPath } from './bootstrap.mjs';
import { ensureDependencies, runPipeline } from './pipeline.mjs';

const [command = 'help', ...rest] = process.argv.slice(2);

function say(message) {
  process.stderr.write(`[ricochet] ${message}\n`);
}

// Copies of one stop request arrive within milliseconds of each other (a terminal's Ctrl-C reaches the whole
// process group, and each parent forwards it too); a person's second Ctrl-C comes later and means "exit now".
const REPEAT_WINDOW_MS = 250;

/**
 * Passes stop signals on to `child`, once per request: SIGINT and SIGTERM as they are, SIGHUP (the terminal went
 * away) as SIGTERM. Exits with the child's status when it exits.
 */
function forwardStopSignals(child) {
  let last = -Infinity;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      const now = performance.now();
      if (now - last < REPEAT_WINDOW_MS) return;
      last = now;
      child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}

// 1. Node 24: re-run this script under it, as a child that gets our signals (a blocking spawnSync could not pass
// them on, and a supervisor's SIGTERM would leave the server running).
const underNode24 = Number(process.versions.node.split('.')[0]) >= 24;
if (!underNode24) {
  const bin = ensureNode();
  const child = spawn(join(bin, 'node'), [process.argv[1], command, ...rest], {
    stdio: 'inherit',
    env: { ...process.env, PATH: toolsPath() },
  });
  forwardStopSignals(child);
}

const nx = (args, options) =>
  spawnSync(join(ROOT, 'node_modules', '.bin', 'nx'), args, { stdio: 'inherit', cwd: ROOT, ...options });

function start() {
  if (!ensureDependencies()) process.exit(1);
  if (nx(['run-many', '-t', 'build', '-p', 'udp-server', 'health-probe', '--output-style=static']).status !== 0)
    process.exit(1);
  // exec-like: the server gets our stdio and our stop signals, and its exit code becomes ours. It runs in its own
  // process group, so that only we signal it: once per stop request (see forwardStopSignals).
  const server = spawn(process.execPath, [join(ROOT, 'dist/apps/udp-server/main.js'), ...rest], {
    stdio: 'inherit',
    detached: true,
  });
  forwardStopSignals(server);
}

function test() {
  process.exit(runPipeline({ mode: 'test', extra: rest }));
}

function pipeline() {
  const unknown = rest.filter((arg) => arg !== '--no-step-0');
  if (unknown.length > 0) {
    say(`pipeline: unknown arguments ${unknown.join(' ')}; usage: npm run pipeline [-- --no-step-0]`);
    process.exit(64);
  }
  process.exit(runPipeline({ mode: 'pipeline', skipTools: rest.includes('--no-step-0') }));
}

const commands = { start, test, pipeline };
if (underNode24) {
  process.env.PATH = toolsPath();
  if (!commands[command]) {
    say(`unknown command "${command}": expected start, test or pipeline`);
    process.exit(64);
  }
  await commands[command]();
}
