#!/usr/bin/env node
// The delivery pipeline, as the old ci.sh had it, on Nx: every step is a cached, affected-aware target.
//   step 0  install the tools (Node 24, helm/kubectl, apt packages) and dependencies   (--no-step-0 skips it)
//   step 1  lint and format check                 nx affected -t lint fmt-check, nx format:check
//   step 2  typecheck and tests (chart, terraform)  nx affected -t typecheck test validate
//   step 3  the image, tagged with the commit     nx affected -t docker
//   step 4  deploy to staging                      nx run deploy:staging (skipped without a cluster context)
// Affected is computed from NX_BASE..NX_HEAD (NX_HEAD defaults to HEAD). Without a usable NX_BASE (first run,
// shallow clone) every project is checked: CI on main never runs nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { NODE24_BIN, ROOT, ensureApt, ensureHelm, ensureNode, toolsPath } from './tools.mjs';

const args = process.argv.slice(2);
const skipStep0 = args.includes('--no-step-0');
const unknown = args.filter((a) => a !== '--no-step-0');
if (unknown.length > 0) {
  process.stderr.write(`pipeline: unknown arguments ${unknown.join(' ')}; usage: pipeline [--no-step-0]\n`);
  process.exit(64);
}

const timings = [];
function step(name, run) {
  process.stdout.write(`\n=== ${name}\n`);
  const started = Date.now();
  const outcome = run();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push({ name, seconds, outcome });
  process.stdout.write(`=== ${name}: ${outcome} in ${seconds} s\n`);
  if (outcome === 'failed') finish(1);
}

function finish(code) {
  process.stdout.write('\n=== pipeline summary\n');
  for (const t of timings)
    process.stdout.write(`${t.name.padEnd(44)} ${t.outcome.padEnd(8)} ${t.seconds.padStart(6)} s\n`);
  process.exit(code);
}

function run(command, commandArgs, options = {}) {
  process.stdout.write(`$ ${[command, ...commandArgs].join(' ')}\n`);
  const result = spawnSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit', env: process.env, ...options });
  return result.status === 0;
}

// Step 0 brings Node 24; with --no-step-0 it must already be there (on PATH, or under .tools/ from an earlier run).
if (skipStep0) {
  timings.push({ name: 'step 0: tools and dependencies', seconds: '0.0', outcome: 'skipped' });
  if (Number(process.versions.node.split('.')[0]) < 24 && !existsSync(join(NODE24_BIN, 'node'))) {
    process.stderr.write(`pipeline: --no-step-0 needs Node 24 (this is ${process.version}); run once without it\n`);
    process.exit(1);
  }
} else {
  step('step 0: tools and dependencies', () => {
    ensureNode();
    ensureHelm();
    const missing = ensureApt();
    if (missing.length > 0) process.stdout.write(`warning: still missing ${missing.join(', ')}\n`);
    process.env.PATH = toolsPath();
    return run('npm', ['ci', '--no-audit', '--no-fund']) ? 'ok' : 'failed';
  });
}
process.env.PATH = toolsPath();
process.env.NX_DAEMON ??= 'false';

const nx = join(ROOT, 'node_modules', '.bin', 'nx');
const head = process.env.NX_HEAD || 'HEAD';
const base = process.env.NX_BASE;
const baseUsable =
  base !== undefined &&
  base !== '' &&
  spawnSync('git', ['cat-file', '-e', `${base}^{commit}`], { cwd: ROOT }).status === 0;
if (baseUsable) process.stdout.write(`\naffected: ${base}..${head}\n`);
else process.stdout.write(`\naffected: no usable NX_BASE (${base ?? 'unset'}): checking every project\n`);

/** nx affected between base and head, or run-many over everything when there is no base. */
function nxTargets(targets) {
  const scope = baseUsable ? ['affected', `--base=${base}`, `--head=${head}`] : ['run-many', '--all'];
  return run(nx, [...scope, '-t', ...targets, '--output-style=static', '--nxBail=false']) ? 'ok' : 'failed';
}

step('step 1: lint and format check', () => {
  const lint = nxTargets(['lint', 'fmt-check']);
  const formatScope = baseUsable ? [`--base=${base}`, `--head=${head}`] : ['--all'];
  const format = run(nx, ['format:check', ...formatScope]);
  return lint === 'ok' && format ? 'ok' : 'failed';
});
step('step 2: typecheck and tests', () => nxTargets(['typecheck', 'test', 'validate']));
step('step 3: image (udp-server:<sha>)', () => nxTargets(['docker']));
step('step 4: deploy to staging', () => {
  const kubeconfig = (process.env.KUBECONFIG ?? '').split(':').find(Boolean) ?? join(homedir(), '.kube', 'config');
  const contexts = existsSync(kubeconfig)
    ? spawnSync('kubectl', ['config', 'get-contexts', '-o', 'name', '--kubeconfig', kubeconfig], { encoding: 'utf8' })
    : undefined;
  if (contexts === undefined || contexts.status !== 0 || contexts.stdout.trim() === '') {
    process.stdout.write(
      `skipped: no Kubernetes context (${existsSync(kubeconfig) ? `no contexts in ${kubeconfig}` : `no kubeconfig at ${kubeconfig}`}). ` +
        'Set KUBECONFIG to deploy; `nx run deploy:staging --plan-only` shows what would run.\n',
    );
    return 'skipped';
  }
  return run(nx, ['run', 'deploy:staging', '--output-style=static']) ? 'ok' : 'failed';
});
finish(0);
