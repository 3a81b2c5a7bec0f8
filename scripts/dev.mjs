#!/usr/bin/env node
// The README's two commands. Runs on any Node >= 20 with npm; brings Node 24 and the project's dependencies
// itself, then re-runs under Node 24.
//   npm start [-- server flags]   build and run the UDP server (UDP 0.0.0.0:9999, JSON logs on stdout)
//   npm test                      every check: lint, format, typecheck, builds, Terraform validate, tests;
//                                 ends with "N passed, M failed"
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureApt, ensureHelm, ensureNode, toolsPath } from './tools.mjs';

const [command = 'help', ...rest] = process.argv.slice(2);

function say(message) {
  process.stderr.write(`[ricochet] ${message}\n`);
}

function runOrExit(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
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

// 2. Dependencies: `npm ci` when node_modules is missing or older than package-lock.json.
function ensureDependencies() {
  const lock = readFileSync(join(ROOT, 'package-lock.json'));
  const digest = createHash('sha256').update(lock).update(process.version).digest('hex');
  const stamp = join(ROOT, 'node_modules', '.ricochet-lock-digest');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  say('installing dependencies (npm ci)');
  runOrExit('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(stamp, digest);
}

const nx = (args, options) =>
  spawnSync(join(ROOT, 'node_modules', '.bin', 'nx'), args, { stdio: 'inherit', cwd: ROOT, ...options });

function start() {
  ensureDependencies();
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

// Checks run by `npm test`. Each is an Nx target, so unchanged projects are served from the cache.
const CHECK_TARGETS = ['lint', 'fmt-check', 'typecheck', 'build', 'validate', 'test'];
const CLUSTER_TESTS = 'udp-server-cluster-e2e';

/** Runs a command with its output shown as it comes, and also returned. */
function runStreaming(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      stdout += chunk.toString();
    });
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

async function test() {
  ensureHelm();
  const missing = ensureApt();
  if (missing.length > 0 && process.env.CI === 'true') {
    say(`CI=true and these tools are missing: ${missing.join(', ')}; the tests that need them would fail`);
  }
  ensureDependencies();
  const reports = join(ROOT, 'reports', 'jest');
  rmSync(join(ROOT, 'reports'), { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });
  const nxBin = join(ROOT, 'node_modules', '.bin', 'nx');
  const everything = await runStreaming(nxBin, [
    'run-many',
    '-t',
    ...CHECK_TARGETS,
    '--exclude',
    CLUSTER_TESTS,
    '--output-style=static',
    '--nxBail=false',
    ...rest,
  ]);
  // The real-cluster tests run on their own afterwards: they measure datagram loss under load on a 2-core
  // machine, which the other suites' load would distort, and they bring up (and down) the cluster themselves.
  const cluster = await runStreaming(nxBin, ['run', `${CLUSTER_TESTS}:test`, '--output-style=static', ...rest]);
  const result = { status: everything.status || cluster.status, stdout: everything.stdout + cluster.stdout };
  const output = result.stdout ?? '';
  const failedSections = output.split('Failed tasks:').slice(1).join('\n');
  const failedTasks = [...new Set([...failedSections.matchAll(/^\s*- (\S+:\S+)/gm)].map((m) => m[1]))];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (existsSync(reports)) {
    for (const file of readdirSync(reports)) {
      const summary = JSON.parse(readFileSync(join(reports, file), 'utf8'));
      passed += summary.passed;
      failed += summary.failed;
      skipped += summary.skipped;
    }
  }
  // Prettier over the whole tree, as the pipeline's step 1 does for what changed.
  const format = nx(['format:check', '--all']);
  if (format.status !== 0) say('format check failed: run `npx nx format:write` and commit the result');
  // A failed task that is not a Jest run (lint, typecheck, build) counts as one failure, as does the format check.
  const otherFailures = failedTasks.filter((task) => !task.endsWith(':test')).length + (format.status === 0 ? 0 : 1);
  // A Jest run that failed before reporting (its global set-up failed) counts as one failure too.
  const unreported = failedTasks.filter(
    (task) => task.endsWith(':test') && !existsSync(join(reports, `${task.slice(0, -':test'.length)}.json`)),
  ).length;
  const testTaskFailedWithoutReport =
    result.status !== 0 && failed === 0 && otherFailures === 0 && unreported === 0 ? 1 : 0;
  failed += otherFailures + unreported + testTaskFailedWithoutReport;
  if (skipped > 0) say(`${skipped} tests skipped`);
  const summary = `${passed} passed, ${failed} failed`;
  writeFileSync(join(ROOT, 'reports', 'summary.txt'), `${summary}\n`);
  process.stdout.write(`${summary}\n`);
  process.exit(result.status === 0 && format.status === 0 && failed === 0 ? 0 : 1);
}

const commands = { start, test };
if (underNode24) {
  process.env.PATH = toolsPath();
  if (!commands[command]) {
    say(`unknown command "${command}": expected start or test`);
    process.exit(64);
  }
  await commands[command]();
}
