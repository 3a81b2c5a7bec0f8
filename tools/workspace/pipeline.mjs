#!/usr/bin/env node
// Ricochet's CI, defined once. Every step is a set of cached Nx targets, so unchanged projects come from the cache.
//   npm test               every project: tools, lint + format, typecheck/build/validate/tests, the cluster tests;
//                          runs every step whatever failed, ends with "N passed, M failed" (what .ci/run reports)
//   npm run pipeline       what changed since NX_BASE (every project without a usable base), then the image and
//                          the staging deploy, as the old ci.sh did; stops at the first failed step
// Steps:
//   0  tools and dependencies           bootstrap.mjs (Node 24, helm, apt packages, Go tools, the helm Terraform
//                                       provider), npm ci when the lock changed
//   1  lint and format                  lint fmt-check, nx format:check
//   2  typecheck, build and tests       typecheck build validate test (all but the cluster tests)
//   3  tests on the real cluster        udp-server-cluster-e2e:test, alone: it measures loss under load
//   4  image (pipeline only)            docker
//   5  deploy to staging (pipeline only) nx run deploy:staging, skipped without a cluster context
// Failed tasks are read from the task-results file the local Nx plugin (nx-task-results.cjs) writes, not from text.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  ensureApt,
  ensureGoTools,
  ensureHelm,
  ensureNode,
  ensureTerraformProvider,
  toolsPath,
} from './bootstrap.mjs';

const CLUSTER_TESTS = 'udp-server-cluster-e2e';
const REPORTS = join(ROOT, 'reports');
const NX = join(ROOT, 'node_modules', '.bin', 'nx');

function say(message) {
  process.stderr.write(`[ricochet] ${message}\n`);
}

function run(command, args, options = {}) {
  process.stdout.write(`$ ${[command, ...args].join(' ')}\n`);
  return spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: process.env, ...options }).status === 0;
}

/** `npm ci` when node_modules was installed from another package-lock.json (or another Node), else nothing. */
export function ensureDependencies() {
  const digest = createHash('sha256')
    .update(readFileSync(join(ROOT, 'package-lock.json')))
    .update(process.version)
    .digest('hex');
  const stamp = join(ROOT, 'node_modules', '.ricochet-lock-digest');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return true;
  say('installing dependencies (npm ci)');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) return false;
  writeFileSync(stamp, digest);
  return true;
}

/** The projects to check: those affected between NX_BASE and NX_HEAD, or every one. */
function projectsInScope(affected) {
  const head = process.env.NX_HEAD || 'HEAD';
  const base = process.env.NX_BASE;
  const usable =
    affected &&
    base !== undefined &&
    base !== '' &&
    spawnSync('git', ['cat-file', '-e', `${base}^{commit}`], { cwd: ROOT }).status === 0;
  const scope = usable ? ['--affected', `--base=${base}`, `--head=${head}`] : [];
  process.stdout.write(
    usable ? `\naffected: ${base}..${head}\n` : `\nscope: every project${affected ? ` (no usable NX_BASE)` : ''}\n`,
  );
  const shown = spawnSync(NX, ['show', 'projects', ...scope, '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (shown.status !== 0) throw new Error(`nx show projects failed:\n${shown.stderr}`);
  return { projects: JSON.parse(shown.stdout), formatScope: usable ? [`--base=${base}`, `--head=${head}`] : ['--all'] };
}

let taskResultsFile = 0;

/** Runs `targets` over `projects`; returns the outcome of every task Nx ran (id → status). */
function runTargets(targets, projects, extra = []) {
  if (projects.length === 0) return {};
  const file = join(REPORTS, 'nx-tasks', `${++taskResultsFile}.json`);
  mkdirSync(join(REPORTS, 'nx-tasks'), { recursive: true });
  run(
    NX,
    ['run-many', '-t', ...targets, '-p', projects.join(','), '--output-style=static', '--nxBail=false', ...extra],
    { env: { ...process.env, RICOCHET_TASK_RESULTS: file } },
  );
  if (!existsSync(file)) return { [`${targets.join(',')}`]: { status: 'failure' } };
  return JSON.parse(readFileSync(file, 'utf8'));
}

const failedTasks = (outcomes) =>
  Object.entries(outcomes)
    .filter(([, outcome]) => outcome.status === 'failure')
    .map(([id]) => id);

function deployToStaging() {
  const kubeconfig = (process.env.KUBECONFIG ?? '').split(':').find(Boolean) ?? join(homedir(), '.kube', 'config');
  const contexts = existsSync(kubeconfig)
    ? spawnSync('kubectl', ['config', 'get-contexts', '-o', 'name', '--kubeconfig', kubeconfig], { encoding: 'utf8' })
    : undefined;
  if (contexts === undefined || contexts.status !== 0 || contexts.stdout.trim() === '') {
    process.stdout.write(
      `skipped: no Kubernetes context (${existsSync(kubeconfig) ? `no contexts in ${kubeconfig}` : `no kubeconfig at ${kubeconfig}`}). ` +
        'Set KUBECONFIG to deploy; `nx run deploy:staging --plan-only` shows what would run.\n',
    );
    return { outcome: 'skipped', failed: [] };
  }
  return run(NX, ['run', 'deploy:staging', '--output-style=static'])
    ? { outcome: 'ok', failed: [] }
    : { outcome: 'failed', failed: ['deploy:staging'] };
}

/** The steps; each returns the tasks (or checks) that failed. */
function steps({ deliver, scope, extra }) {
  const others = () => scope.projects.filter((project) => project !== CLUSTER_TESTS);
  const fromTasks = (outcomes) => {
    const failed = failedTasks(outcomes);
    return { outcome: failed.length === 0 ? 'ok' : 'failed', failed };
  };
  return [
    {
      name: 'step 1: lint and format',
      run: () => {
        const failed = failedTasks(runTargets(['lint', 'fmt-check'], scope.projects, extra));
        if (!run(NX, ['format:check', ...scope.formatScope])) {
          say('format check failed: run `npx nx format:write` and commit the result');
          failed.push('format:check');
        }
        return { outcome: failed.length === 0 ? 'ok' : 'failed', failed };
      },
    },
    {
      name: 'step 2: typecheck, build and tests',
      run: () => fromTasks(runTargets(['typecheck', 'build', 'validate', 'test'], others(), extra)),
    },
    {
      // On their own: they measure datagram loss under load on a 2-core machine, which the other suites' load
      // would distort, and they bring the cluster up (and down) themselves.
      name: 'step 3: tests on the real cluster',
      run: () =>
        fromTasks(
          runTargets(
            ['test'],
            scope.projects.filter((p) => p === CLUSTER_TESTS),
            extra,
          ),
        ),
    },
    ...(deliver
      ? [
          { name: 'step 4: image (udp-server:<sha>)', run: () => fromTasks(runTargets(['docker'], scope.projects)) },
          { name: 'step 5: deploy to staging', run: deployToStaging },
        ]
      : []),
  ];
}

/** Jest's counts from reports/jest/<project>.json, which every test run writes and Nx restores from its cache. */
function jestCounts() {
  const counts = { passed: 0, failed: 0, skipped: 0, failedByProject: new Map() };
  const dir = join(REPORTS, 'jest');
  if (!existsSync(dir)) return counts;
  for (const file of readdirSync(dir)) {
    const summary = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    counts.passed += summary.passed;
    counts.failed += summary.failed;
    counts.skipped += summary.skipped;
    counts.failedByProject.set(summary.project, summary.failed);
  }
  return counts;
}

/**
 * `mode` is 'test' (every project, every check step, keep going) or 'pipeline' (affected, all steps, stop at the
 * first failed step). Returns the exit status; writes reports/summary.txt with the "N passed, M failed" line.
 */
export function runPipeline({ mode, skipTools = false, extra = [] }) {
  const pipeline = mode === 'pipeline';
  process.env.PATH = toolsPath();
  process.env.NX_DAEMON ??= 'false';
  rmSync(REPORTS, { recursive: true, force: true });
  mkdirSync(join(REPORTS, 'jest'), { recursive: true });
  const timings = [];
  const failed = [];
  const record = (name, started, result) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    timings.push({ name, seconds, outcome: result.outcome });
    failed.push(...result.failed);
    process.stdout.write(`=== ${name}: ${result.outcome} in ${seconds} s\n`);
  };

  const toolsStarted = Date.now();
  process.stdout.write('\n=== step 0: tools and dependencies\n');
  if (skipTools) {
    record('step 0: tools and dependencies', toolsStarted, { outcome: 'skipped', failed: [] });
  } else {
    ensureNode();
    ensureHelm();
    const missing = [...ensureApt(), ...ensureGoTools()];
    // terraform:validate and the deploy tool need hashicorp/helm; without the registry, the offline build.
    if (!process.env.RICOCHET_TERRAFORM_PLUGIN_DIR && process.env.TERRAFORM_REGISTRY !== '1') {
      const pluginDir = ensureTerraformProvider();
      if (pluginDir) process.env.RICOCHET_TERRAFORM_PLUGIN_DIR = pluginDir;
      else missing.push('the hashicorp/helm provider (tools/offline/terraform-provider)');
    }
    if (missing.length > 0) say(`still missing: ${missing.join(', ')}; the tests that need them will fail under CI`);
    const installed = ensureDependencies();
    record('step 0: tools and dependencies', toolsStarted, {
      outcome: installed ? 'ok' : 'failed',
      failed: installed ? [] : ['npm ci'],
    });
    if (!installed) return finish(timings, failed);
  }

  const scope = projectsInScope(pipeline);
  for (const step of steps({ deliver: pipeline, scope, extra })) {
    process.stdout.write(`\n=== ${step.name}\n`);
    const started = Date.now();
    const result = step.run();
    record(step.name, started, result);
    if (pipeline && result.outcome === 'failed') break;
  }
  return finish(timings, failed);
}

function finish(timings, failed) {
  process.stdout.write('\n=== summary\n');
  for (const t of timings)
    process.stdout.write(`${t.name.padEnd(44)} ${t.outcome.padEnd(8)} ${t.seconds.padStart(6)} s\n`);
  const jest = jestCounts();
  // A failed task that is not a Jest run (lint, typecheck, build, format) counts as one failure, and so does a Jest
  // run that failed without a failed test to show for it (its global set-up failed, or its coverage threshold).
  const uncounted = failed.filter(
    (id) => !id.endsWith(':test') || !(jest.failedByProject.get(id.slice(0, -':test'.length)) > 0),
  );
  if (uncounted.length > 0) say(`failed: ${uncounted.join(', ')}`);
  if (jest.skipped > 0) say(`${jest.skipped} tests skipped`);
  const failures = jest.failed + uncounted.length;
  const summary = `${jest.passed} passed, ${failures} failed`;
  writeFileSync(join(REPORTS, 'summary.txt'), `${summary}\n`);
  process.stdout.write(`${summary}\n`);
  return failed.length === 0 && failures === 0 ? 0 : 1;
}
