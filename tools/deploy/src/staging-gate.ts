import { createError } from '@ricochet/errors';
import type { Exec } from './exec';
import type { TerraformSettings } from './settings';
import type { Release } from './steps';
import { terraformEnv } from './terraform-env';

/** An env root's outputs (terraform/envs/<env>/outputs.tf), as `terraform output -json` prints them. */
export type Outputs = Readonly<Record<string, unknown>>;

/** The environment's Terraform outputs; undefined when it has no state yet or Terraform cannot read it. */
export function readOutputs(exec: Exec, root: string, terraform: TerraformSettings): Outputs | undefined {
  const result = exec('terraform', [`-chdir=${terraform.rootDir}`, 'output', '-json'], {
    cwd: root,
    env: terraformEnv(terraform),
  });
  if (result.status !== 0) return undefined;
  try {
    const outputs = JSON.parse(result.stdout) as Record<string, { value?: unknown } | undefined>;
    return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output?.value]));
  } catch {
    return undefined;
  }
}

/** What an environment runs, from its outputs; undefined unless every part is on record (a failed apply nulls them). */
export function runningRelease(outputs: Outputs | undefined): Release | undefined {
  const text = (name: string): string | undefined => {
    const value = outputs?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const release = {
    chartRepository: text('chart_repository'),
    chartVersion: text('chart_version'),
    commit: text('commit'),
    imageRepository: text('image_repository'),
    imageDigest: text('image_digest'),
  };
  return Object.values(release).every((value) => value !== undefined) ? (release as Release) : undefined;
}

export type GateVerdict =
  | { readonly passed: true; readonly note: string }
  | { readonly passed: false; readonly note: string };

/**
 * "Staging first", enforced: production deploys only the commit staging runs, unless overridden. Throws
 * UDP_ERR_DEPLOY_GATE when refused; with `planOnly`, returns the refusal as the plan's note instead.
 */
export function checkStagingGate(
  sha: string,
  staging: Release | undefined,
  { skip, planOnly }: { readonly skip: boolean; readonly planOnly: boolean },
): GateVerdict {
  if (staging?.commit === sha) {
    return { passed: true, note: `staging gate passed: staging runs ${sha} (chart ${staging.chartVersion})` };
  }
  const runs = staging?.commit ?? 'nothing on record (no staging state, or its last apply failed)';
  if (skip) return { passed: true, note: `staging gate OVERRIDDEN with --skip-staging-gate: staging runs ${runs}` };
  const refusal = createError('UDP_ERR_DEPLOY_GATE', sha, runs);
  if (!planOnly) throw refusal;
  return { passed: false, note: `staging gate REFUSES this deployment: ${refusal.message}` };
}
