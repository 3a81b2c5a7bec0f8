import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, isRicochetError } from '@ricochet/errors';
import { planDeployment, renderPlan, runPlan } from './deploy';
import { exec } from './exec';
import { USAGE, parseDeployArgs } from './options';

// Run from the workspace root (Nx runs targets there).
const root = process.cwd();
const out = (text: string): void => void process.stdout.write(`${text}\n`);

function main(argv: readonly string[]): number {
  if (argv.includes('--help')) {
    out(USAGE);
    return 0;
  }
  try {
    const options = parseDeployArgs(argv, process.env);
    const plan = planDeployment(options, { exec, root });
    out(renderPlan(plan, options.planOnly));
    if (options.planOnly) return 0;
    // A fresh directory for the image archive: podman refuses to save over an existing one, and it is large.
    const work = join(root, 'tmp', 'deploy');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    try {
      runPlan(plan, { exec, root }, out);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    out(`\nDeployed ${plan.image} to ${options.environment}.`);
    return 0;
  } catch (err) {
    if (!isRicochetError(err)) throw err;
    process.stderr.write(`deploy: ${err.code}: ${err.message}\n`);
    return err instanceof ConfigError ? 64 : 1;
  }
}

process.exitCode = main(process.argv.slice(2));
