import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, createError, isRicochetError } from '@ricochet/errors';
import { planDeployment, renderPlan, runPlan, type DeployContext, type DeployPlan } from './deploy';
import { exec } from './exec';
import { USAGE, parseDeployArgs } from './options';
import { smokeCheck } from './smoke';
import { readOutputs } from './staging-gate';
import { prepareTerraform } from './terraform-env';

// Run from the workspace root (Nx runs targets there).
const context: DeployContext = { exec, root: process.cwd(), env: process.env };
const out = (text: string): void => void process.stdout.write(`${text}\n`);

/** After the apply: PING the release through its Service, then print what the environment runs now. */
async function verify(plan: DeployPlan, environment: string): Promise<void> {
  if (plan.terraform === undefined || plan.smoke === undefined) return;
  const outputs = readOutputs(exec, context.root, plan.terraform.settings);
  const namespace = outputs?.['namespace'];
  const release = outputs?.['release_name'];
  if (typeof namespace !== 'string' || typeof release !== 'string') {
    throw createError('UDP_ERR_DEPLOY_SMOKE_FAILED', environment, 'terraform output names no release');
  }
  out(`\n# smoke check: health-probe ping through the Service of ${namespace}/${release}`);
  const started = performance.now();
  out(await smokeCheck(exec, context.root, { ...plan.smoke, namespace, release }));
  out(`(smoke check took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  out(`\n# ${environment} runs (terraform output):`);
  for (const name of ['commit', 'chart_version', 'image_digest', 'revision', 'namespace']) {
    out(`  ${name.padEnd(14)} ${String(outputs?.[name])}`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help')) {
    out(USAGE);
    return 0;
  }
  try {
    const options = parseDeployArgs(argv, process.env);
    const plan = await planDeployment(options, context);
    out(renderPlan(plan, options.planOnly));
    if (options.planOnly) return 0;
    if (plan.terraform !== undefined) {
      prepareTerraform(plan.terraform.settings, plan.terraform.caFile);
      runPlan(plan, context, out);
      await verify(plan, options.environment);
    } else {
      // Local: a fresh directory for the image archive (podman refuses to save over one, and it is large).
      const work = join(context.root, 'tmp', 'deploy');
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      try {
        runPlan(plan, context, out);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
    out(`\nDeployed ${plan.image} to ${options.environment}.`);
    return 0;
  } catch (err) {
    if (!isRicochetError(err)) throw err;
    process.stderr.write(`deploy: ${err.code}: ${err.message}\n`);
    return err instanceof ConfigError ? 64 : 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
