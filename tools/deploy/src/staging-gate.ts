import { createError } from '@ricochet/errors';
import type { Exec } from './exec';
import { terraformDirectory } from './steps';

/**
 * The image tag staging runs, from staging's Terraform outputs (`image_tag`). Undefined when staging has no
 * state yet or Terraform cannot read it.
 */
export function readStagingImageTag(exec: Exec, cwd: string): string | undefined {
  const result = exec('terraform', [`-chdir=${terraformDirectory('staging')}`, 'output', '-json'], { cwd });
  if (result.status !== 0) return undefined;
  try {
    const outputs = JSON.parse(result.stdout) as Record<string, { value?: unknown } | undefined>;
    const tag = outputs['image_tag']?.value;
    return typeof tag === 'string' ? tag : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Staging first", enforced: production deploys only the commit staging runs, unless overridden. Returns a note
 * for the plan; throws UDP_ERR_DEPLOY_GATE otherwise.
 */
export function checkStagingGate(sha: string, stagingTag: string | undefined, skip: boolean): string {
  if (stagingTag === sha) return `staging gate passed: staging runs ${sha}`;
  const staging = stagingTag ?? 'nothing on record (no staging state)';
  if (skip) return `staging gate OVERRIDDEN with --skip-staging-gate: staging runs ${staging}`;
  throw createError('UDP_ERR_DEPLOY_GATE', sha, staging);
}
