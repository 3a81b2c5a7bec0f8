import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';

// The real CLI, in this repository, with the real git and no cluster: what it prints with --plan-only, and how
// it refuses bad input (a coded error that says what to do) without changing anything.
const root = join(__dirname, '..', '..', '..');
const sha = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
const terraformDir = makeTempDir('deploy-cli-terraform');
afterAll(() => rmSync(terraformDir, { recursive: true, force: true }));

function deploy(args: readonly string[], env: Readonly<Record<string, string>> = {}) {
  const clean = { ...process.env };
  for (const name of Object.keys(clean)) if (name.startsWith('RICOCHET_')) delete clean[name];
  return spawnSync(process.execPath, ['tools/workspace/run-ts.mjs', 'tools/deploy/src/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...clean,
      PATH: `${join(root, '.tools', 'bin')}:${process.env['PATH'] ?? ''}`,
      KUBECONFIG: '/nonexistent/kubeconfig',
      RICOCHET_TERRAFORM_DIR: terraformDir,
      ...env,
    },
  });
}

describe('deploy --plan-only', () => {
  it('prints exactly what a staging deployment would run, and why', () => {
    const result = deploy(['staging', '--plan-only', '--allow-dirty']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`commit ${sha}`);
    expect(result.stdout).toMatch(/\$ TF_DATA_DIR=\S+ .*terraform -chdir=terraform\/envs\/staging init -input=false/);
    expect(result.stdout).toContain(
      `plan -input=false -detailed-exitcode -out=${terraformDir}/staging/data/staging-${sha.slice(0, 12)}.tfplan`,
    );
    expect(result.stdout).toContain(`-var image_tag=${sha}`);
    expect(result.stdout.match(/^# \d\/3: /gm)).toHaveLength(3);
  });

  it("shows production's plan with the staging gate's refusal as a note", () => {
    const result = deploy(['production', '--plan-only', '--allow-dirty']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /staging gate REFUSES this deployment: Production refused: staging runs nothing on record/,
    );
    expect(result.stdout).toContain('terraform -chdir=terraform/envs/production plan');
  });
});

describe('bad input: a coded error that says what to do, and nothing changed', () => {
  const refused = (args: readonly string[], env: Readonly<Record<string, string>>, code: string, advice: RegExp) => {
    const result = deploy(args, env);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^deploy: ${code}: `));
    expect(result.stderr).toMatch(advice);
    expect(readdirSync(terraformDir)).toEqual([]);
    return result.status;
  };

  it('an unknown environment exits 64', () => {
    expect(refused(['qa'], {}, 'UDP_ERR_USAGE', /expected one of staging, production, local/)).toBe(64);
  });

  it('no registry configured', () => {
    expect(refused(['staging', '--allow-dirty'], {}, 'UDP_ERR_DEPLOY_REGISTRY_MISSING', /Set RICOCHET_REGISTRY/)).toBe(
      1,
    );
  });

  it('a provider directory without the provider', () => {
    const env = { RICOCHET_REGISTRY: '127.0.0.1:9', RICOCHET_TERRAFORM_PLUGIN_DIR: terraformDir };
    expect(
      refused(['staging', '--allow-dirty'], env, 'UDP_ERR_DEPLOY_PROVIDER_MISSING', /terraform-provider:build/),
    ).toBe(1);
  });

  it('a registry that does not answer', () => {
    const kubeconfig = join(root, 'tools', 'deploy', 'test', 'fixtures', 'kubeconfig.yaml');
    const env = { RICOCHET_REGISTRY: '127.0.0.1:9', KUBECONFIG: kubeconfig };
    expect(
      refused(['staging', '--allow-dirty'], env, 'UDP_ERR_DEPLOY_REGISTRY_UNREACHABLE', /nx run registry:up/),
    ).toBe(1);
  });
});
