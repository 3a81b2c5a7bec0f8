import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';
import { planDeployment, renderPlan } from '../src/deploy';
import { exec as realExec, type Exec, type ExecResult } from '../src/exec';
import { parseDeployArgs } from '../src/options';

/** A throwaway git repository with one commit (removed after the test): the deploy tool reads the real git. */
function repository(): { root: string; sha: string } {
  const root = makeTempDir('deploy-repo');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  writeFileSync(join(root, 'README.md'), 'hi\n');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one');
  return { root, sha: git('rev-parse', 'HEAD') };
}

const ok: ExecResult = { status: 0, stdout: '', stderr: '' };
const enoent = (tool: string): ExecResult => ({
  status: null,
  stdout: '',
  stderr: '',
  error: Object.assign(new Error(`spawn ${tool} ENOENT`), { code: 'ENOENT' }),
});

/** Real git; everything else answered by `others` (no terraform, podman or cluster is touched). */
function execWith(others: (command: string, args: readonly string[]) => ExecResult): Exec {
  return (command, args, options) => (command === 'git' ? realExec(command, args, options) : others(command, args));
}

const options = (...argv: string[]) =>
  parseDeployArgs(argv, { RICOCHET_IMAGE_REPOSITORY: 'registry.example.com/udp-server' });

describe('planDeployment', () => {
  it('tags the image with the full commit sha and plans init, plan and apply for staging', () => {
    const { root, sha } = repository();
    const plan = planDeployment(options('staging', '--plan-only'), { root, exec: execWith(() => ok) });
    expect(plan.image).toBe(`registry.example.com/udp-server:${sha}`);
    expect(plan.steps.map((s) => s.command.slice(0, 3))).toEqual([
      ['terraform', '-chdir=terraform/envs/staging', 'init'],
      ['terraform', '-chdir=terraform/envs/staging', 'plan'],
      ['terraform', '-chdir=terraform/envs/staging', 'apply'],
    ]);
    expect(plan.steps[1]!.command).toContain(`image_tag=${sha}`);
    expect(renderPlan(plan, true)).toMatch(
      /^Plan only: nothing will run\.\n {2}- image registry\.example\.com\/udp-server:[0-9a-f]{40}/,
    );
  });

  it('refuses a dirty working tree unless --allow-dirty, and then says what is not in the image', () => {
    const { root } = repository();
    writeFileSync(join(root, 'README.md'), 'changed\n');
    writeFileSync(join(root, 'new.txt'), 'new\n');
    expect(() => planDeployment(options('staging', '--plan-only'), { root, exec: execWith(() => ok) })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_DIRTY_TREE' }),
    );
    const plan = planDeployment(options('staging', '--plan-only', '--allow-dirty'), { root, exec: execWith(() => ok) });
    expect(plan.notes).toContain('--allow-dirty: 2 uncommitted changes are NOT in the image');
  });

  it('gates production on what staging runs', () => {
    const { root, sha } = repository();
    const stagingRuns = (tag: string) =>
      execWith((command, args) =>
        command === 'terraform' && args.includes('output')
          ? { ...ok, stdout: JSON.stringify({ image_tag: { value: tag } }) }
          : ok,
      );
    expect(() =>
      planDeployment(options('production', '--plan-only'), { root, exec: stagingRuns('f'.repeat(40)) }),
    ).toThrow(expect.objectContaining({ code: 'UDP_ERR_DEPLOY_GATE' }));
    expect(planDeployment(options('production', '--plan-only'), { root, exec: stagingRuns(sha) }).notes).toContain(
      `staging gate passed: staging runs ${sha}`,
    );
    const overridden = planDeployment(options('production', '--plan-only', '--skip-staging-gate'), {
      root,
      exec: stagingRuns('f'.repeat(40)),
    });
    expect(overridden.steps[0]!.command[1]).toBe('-chdir=terraform/envs/production');
  });

  it('checks terraform, the kube context and the image before a real deployment', () => {
    const { root } = repository();
    const kubeconfig = join(makeTempDir('deploy-kube'), 'config');
    writeFileSync(kubeconfig, 'current-context: staging\ncontexts: [{ name: staging }]\n');
    const real = (...extra: string[]) => options('staging', '--kubeconfig', kubeconfig, ...extra);

    expect(() => planDeployment(real(), { root, exec: execWith((c) => (c === 'terraform' ? enoent(c) : ok)) })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_TOOL_MISSING' }),
    );
    expect(() => planDeployment(real('--kube-context', 'prod'), { root, exec: execWith(() => ok) })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_KUBE_CONTEXT' }),
    );
    const noImage = execWith((c, args) =>
      args[0] === 'image' ? { ...ok, status: 1 } : c === 'docker' ? { ...ok, status: 1 } : ok,
    );
    expect(() => planDeployment(real(), { root, exec: noImage })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_IMAGE_MISSING' }),
    );
    const plan = planDeployment(real(), { root, exec: execWith((c) => (c === 'docker' ? { ...ok, status: 1 } : ok)) });
    expect(plan.notes).toContain(`context staging from ${kubeconfig}`);
    expect(plan.steps[1]!.command).toContain('kube_context=staging');
  });

  it('plans a local deployment into kind by default, into minikube when only it is installed', () => {
    const { root, sha } = repository();
    const kind = planDeployment(options('local', '--plan-only'), {
      root,
      exec: execWith((c) => (c === 'docker' ? { ...ok, status: 1 } : ok)),
    });
    expect(kind.steps.map((s) => s.command[0])).toEqual(['podman', 'kind', 'helm', 'helm']);
    expect(kind.steps[2]!.command).toContain(`image.tag=${sha}`);
    const minikube = planDeployment(options('local', '--plan-only'), {
      root,
      exec: execWith((c) => (c === 'kind' ? enoent(c) : ok)),
    });
    expect(minikube.steps.map((s) => s.command[0])).toEqual(['docker', 'minikube', 'helm', 'helm']);
    expect(minikube.steps[2]!.command).toContain('minikube');
  });

  it('plans into the ricochet cluster when it runs, with the kubeconfig the cluster tool prints', () => {
    const { root } = repository();
    const plan = planDeployment(options('local', '--plan-only'), {
      root,
      exec: execWith((c, args) =>
        c === 'node' && args.includes('kubeconfig')
          ? { ...ok, stdout: '/var/lib/ricochet-cluster/admin.kubeconfig\n' }
          : c === 'docker'
            ? { ...ok, status: 1 }
            : ok,
      ),
    });
    expect(plan.steps[1]!.command).toContain('load-image');
    expect(plan.steps[2]!.command).toEqual(
      expect.arrayContaining([
        '--kubeconfig',
        '/var/lib/ricochet-cluster/admin.kubeconfig',
        '--kube-context',
        'ricochet',
      ]),
    );
  });

  it('refuses --cluster ricochet when the cluster is not running', () => {
    const { root } = repository();
    const notRunning = execWith((c) =>
      c === 'node' ? { ...ok, status: 1 } : c === 'docker' ? { ...ok, status: 1 } : ok,
    );
    expect(() => planDeployment(options('local', '--cluster', 'ricochet'), { root, exec: notRunning })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_KUBE_CONTEXT' }),
    );
  });
});

describe('parseDeployArgs', () => {
  it('reads the environment and defaults', () => {
    expect(parseDeployArgs(['staging'], { KUBECONFIG: '/a:/b' })).toMatchObject({
      environment: 'staging',
      planOnly: false,
      kubeconfig: '/a',
      kubeContext: undefined,
      imageRepository: 'udp-server',
      clusterName: 'ricochet',
    });
  });

  it('lists every usage problem at once', () => {
    expect(() => parseDeployArgs(['prod', 'extra', '--cluster', 'k3d', '--skip-staging-gate'], {})).toThrow(
      expect.objectContaining({
        code: 'UDP_ERR_USAGE',
        problems: [
          'environment: expected one of staging, production, local, got "prod"',
          'unexpected arguments: extra',
          '--cluster: expected one of ricochet, kind, minikube, got "k3d"',
          '--skip-staging-gate: only means something for production',
        ],
      }),
    );
  });
});
