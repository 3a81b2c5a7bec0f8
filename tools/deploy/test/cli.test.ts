import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The plan-only mode end to end: the real CLI, in this repository, with the real git, needing no cluster.
const root = join(__dirname, '..', '..', '..');
const sha = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();

function deploy(...args: string[]) {
  return spawnSync(process.execPath, ['tools/workspace/run-ts.mjs', 'tools/deploy/src/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, RICOCHET_IMAGE_REPOSITORY: '', KUBECONFIG: '/nonexistent/kubeconfig' },
  });
}

describe('deploy --plan-only', () => {
  it('prints exactly what a staging deployment would run, and why', () => {
    const result = deploy('staging', '--plan-only', '--allow-dirty');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`- image udp-server:${sha}: tagged with the current commit (${sha})`);
    expect(result.stdout).toContain('$ terraform -chdir=terraform/envs/staging init -input=false');
    expect(result.stdout).toContain(
      `$ terraform -chdir=terraform/envs/staging plan -input=false -out=staging-${sha.slice(0, 12)}.tfplan ` +
        `-var image_repository=udp-server -var image_tag=${sha} -var kubeconfig_path=/nonexistent/kubeconfig`,
    );
    expect(result.stdout).toContain(
      `$ terraform -chdir=terraform/envs/staging apply -input=false staging-${sha.slice(0, 12)}.tfplan`,
    );
    expect(result.stdout.match(/^# \d\/3: /gm)).toHaveLength(3);
  });

  it('refuses production while staging has no record of this commit', () => {
    const result = deploy('production', '--plan-only', '--allow-dirty');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^deploy: UDP_ERR_DEPLOY_GATE: Production refused: staging runs nothing on record/);
    expect(result.stdout).toBe('');
  });

  it('exits 64 on bad usage', () => {
    const result = deploy('qa');
    expect(result.status).toBe(64);
    expect(result.stderr).toMatch(/UDP_ERR_USAGE/);
  });
});
