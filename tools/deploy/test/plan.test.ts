import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';
import { planDeployment, renderPlan, type DeployContext } from '../src/deploy';
import { exec as realExec, type Exec, type ExecResult } from '../src/exec';
import { parseDeployArgs } from '../src/options';
import { CHART_RECORD, type ChartRecord } from '../src/records';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * A throwaway git repository with one commit holding what the deploy tool reads from a checkout: the chart's
 * Chart.yaml and the env roots' versions.tf. The deploy tool reads the real git.
 */
function repository(): { root: string; sha: string } {
  const root = makeTempDir('deploy-repo');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  mkdirSync(join(root, 'helm', 'udp-server'), { recursive: true });
  cpSync(join(ROOT, 'helm', 'udp-server', 'Chart.yaml'), join(root, 'helm', 'udp-server', 'Chart.yaml'));
  for (const env of ['staging', 'production']) {
    mkdirSync(join(root, 'terraform', 'envs', env), { recursive: true });
    cpSync(join(ROOT, 'terraform', 'envs', env, 'versions.tf'), join(root, 'terraform', 'envs', env, 'versions.tf'));
  }
  writeFileSync(join(root, '.gitignore'), 'dist/\ntmp/\n');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one');
  return { root, sha: git('rev-parse', 'HEAD') };
}

const DIGEST = `sha256:${'d'.repeat(64)}`;

/** What nx run deploy:publish-chart would have recorded for `sha`. */
function published(root: string, sha: string): void {
  const record: ChartRecord = {
    repository: 'oci://registry.example.com/charts',
    name: 'udp-server',
    version: `0.2.0-g${sha.slice(0, 12)}`,
    commit: sha,
    image: { repository: 'registry.example.com/udp-server', tag: sha, digest: DIGEST },
    pushed: true,
  };
  mkdirSync(join(root, 'dist', 'charts'), { recursive: true });
  writeFileSync(join(root, CHART_RECORD), JSON.stringify(record));
}

const ok: ExecResult = { status: 0, stdout: '', stderr: '' };
const enoent = (tool: string): ExecResult => ({
  status: null,
  stdout: '',
  stderr: '',
  error: Object.assign(new Error(`spawn ${tool} ENOENT`), { code: 'ENOENT' }),
});

/** Real git; everything else answered by `others` and recorded (no terraform, podman or cluster is touched). */
function execWith(others: (command: string, args: readonly string[]) => ExecResult, calls: string[][] = []): Exec {
  return (command, args, options) => {
    if (command === 'git') return realExec(command, args, options);
    calls.push([command, ...args]);
    return others(command, args);
  };
}

/** staging's terraform outputs, as the fake terraform prints them. */
const stagingRuns = (commit: string) =>
  execWith((command, args) =>
    command === 'terraform' && args.includes('output')
      ? {
          ...ok,
          stdout: JSON.stringify({
            chart_repository: { value: 'oci://registry.example.com/charts' },
            chart_version: { value: `0.2.0-g${commit.slice(0, 12)}` },
            commit: { value: commit },
            image_repository: { value: 'registry.example.com/udp-server' },
            image_digest: { value: `sha256:${'5'.repeat(64)}` },
          }),
        }
      : command === 'docker'
        ? { ...ok, status: 1 }
        : ok,
  );

const REGISTRY = { RICOCHET_REGISTRY: 'registry.example.com' };
const options = (...argv: string[]) => parseDeployArgs(argv, {});
const context = (root: string, exec: Exec, env: DeployContext['env'] = REGISTRY): DeployContext => ({
  root,
  exec,
  env,
});

describe('planDeployment: staging', () => {
  it('plans init, plan and apply of the chart this commit published, pinned by digest', async () => {
    const { root, sha } = repository();
    published(root, sha);
    const plan = await planDeployment(
      options('staging', '--plan-only'),
      context(
        root,
        execWith(() => ok),
      ),
    );
    expect(plan.image).toBe(`registry.example.com/udp-server:${sha}@${DIGEST}`);
    expect(plan.steps.map((s) => s.command.slice(0, 3))).toEqual([
      ['terraform', '-chdir=terraform/envs/staging', 'init'],
      ['terraform', '-chdir=terraform/envs/staging', 'plan'],
      ['terraform', '-chdir=terraform/envs/staging', 'apply'],
    ]);
    expect(plan.steps[1]!.command).toEqual(
      expect.arrayContaining([
        `image_tag=${sha}`,
        `image_digest=${DIGEST}`,
        `chart_version=0.2.0-g${sha.slice(0, 12)}`,
        'chart_repository=oci://registry.example.com/charts',
      ]),
    );
    expect(renderPlan(plan, true)).toMatch(
      /^Plan only: nothing will run\.\n {2}- release oci:\/\/registry\.example\.com\/charts\/udp-server 0\.2\.0-g[0-9a-f]{12}: commit [0-9a-f]{40}/,
    );
  });

  it('plans the version the commit will publish, and says it is not published yet, with --plan-only', async () => {
    const { root, sha } = repository();
    const plan = await planDeployment(
      options('staging', '--plan-only'),
      context(
        root,
        execWith(() => ok),
        {},
      ),
    );
    expect(plan.notes).toContain(
      'not published yet: Publish it first: nx run deploy:publish-chart (nx run deploy:staging runs it before deploying).',
    );
    expect(plan.steps[1]!.command).toContain(`chart_version=0.2.0-g${sha.slice(0, 12)}`);
  });

  it('refuses a dirty working tree unless --allow-dirty, and then says so', async () => {
    const { root, sha } = repository();
    published(root, sha);
    writeFileSync(join(root, 'new.txt'), 'new\n');
    await expect(
      planDeployment(
        options('staging', '--plan-only'),
        context(
          root,
          execWith(() => ok),
        ),
      ),
    ).rejects.toThrow(expect.objectContaining({ code: 'UDP_ERR_DEPLOY_DIRTY_TREE' }));
    const plan = await planDeployment(
      options('staging', '--plan-only', '--allow-dirty'),
      context(
        root,
        execWith(() => ok),
      ),
    );
    expect(plan.notes.some((note) => note.startsWith('--allow-dirty: 1 uncommitted changes'))).toBe(true);
  });
});

describe('planDeployment: production', () => {
  it('deploys exactly the chart version and image digest staging runs', async () => {
    const { root, sha } = repository();
    const plan = await planDeployment(options('production', '--plan-only'), context(root, stagingRuns(sha)));
    expect(plan.notes).toContain(`staging gate passed: staging runs ${sha} (chart 0.2.0-g${sha.slice(0, 12)})`);
    expect(plan.steps[1]!.command).toEqual(
      expect.arrayContaining([`image_digest=sha256:${'5'.repeat(64)}`, `chart_version=0.2.0-g${sha.slice(0, 12)}`]),
    );
    expect(plan.steps[0]!.command[1]).toBe('-chdir=terraform/envs/production');
  });

  it('is refused while staging runs another commit; --plan-only shows the plan with the refusal as a note', async () => {
    const { root, sha } = repository();
    published(root, sha);
    const plan = await planDeployment(options('production', '--plan-only'), context(root, stagingRuns('f'.repeat(40))));
    expect(plan.notes.find((note) => note.includes('staging gate'))).toMatch(
      /^staging gate REFUSES this deployment: Production refused: staging runs f{40}/,
    );
    expect(plan.steps).toHaveLength(3);
  });

  it('deploys what this commit published when the gate is overridden', async () => {
    const { root, sha } = repository();
    published(root, sha);
    const plan = await planDeployment(
      options('production', '--plan-only', '--skip-staging-gate'),
      context(root, stagingRuns('f'.repeat(40))),
    );
    expect(plan.notes.some((note) => note.startsWith('staging gate OVERRIDDEN'))).toBe(true);
    expect(plan.steps[1]!.command).toContain(`image_digest=${DIGEST}`);
  });
});

describe('planDeployment: what a real deployment needs, checked before anything changes', () => {
  const kubeconfig = (): string => {
    const file = join(makeTempDir('kube'), 'config');
    writeFileSync(file, 'current-context: staging\ncontexts: [{ name: staging }]\n');
    return file;
  };

  it('names each missing piece by its code, in order, and runs no terraform step', async () => {
    const { root, sha } = repository();
    published(root, sha);
    const calls: string[][] = [];
    const config = kubeconfig();
    const real = (...extra: string[]) => options('staging', '--kubeconfig', config, ...extra);
    const plugins = makeTempDir('deploy-plugins');
    const attempt = (env: DeployContext['env'], exec = execWith(() => ok, calls), argv = real()) =>
      planDeployment(argv, context(root, exec, env));

    await expect(attempt({})).rejects.toThrow(expect.objectContaining({ code: 'UDP_ERR_DEPLOY_REGISTRY_MISSING' }));
    await expect(
      attempt(
        REGISTRY,
        execWith((c) => (c === 'terraform' ? enoent(c) : ok), calls),
      ),
    ).rejects.toThrow(expect.objectContaining({ code: 'UDP_ERR_DEPLOY_TOOL_MISSING' }));
    await expect(attempt({ ...REGISTRY, RICOCHET_TERRAFORM_PLUGIN_DIR: plugins })).rejects.toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_PROVIDER_MISSING' }),
    );
    await expect(attempt(REGISTRY, undefined, real('--kube-context', 'prod'))).rejects.toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_KUBE_CONTEXT' }),
    );
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    await expect(attempt({ RICOCHET_REGISTRY: '127.0.0.1:9' })).rejects.toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_REGISTRY_UNREACHABLE' }),
    );
    expect(calls.filter(([command, first]) => command === 'terraform' && first !== 'version')).toEqual([]);
    expect(readdirSync(root)).not.toContain('tmp');
  });
});

describe('planDeployment: local', () => {
  it('plans a local deployment into kind by default, into minikube when only it is installed', async () => {
    const { root, sha } = repository();
    const kind = await planDeployment(
      options('local', '--plan-only'),
      context(
        root,
        execWith((c) => (c === 'docker' ? { ...ok, status: 1 } : ok)),
      ),
    );
    expect(kind.steps.map((s) => s.command[0])).toEqual(['podman', 'kind', 'helm', 'helm']);
    expect(kind.steps[2]!.command).toContain(`image.tag=${sha}`);
    const minikube = await planDeployment(
      options('local', '--plan-only'),
      context(
        root,
        execWith((c) => (c === 'kind' ? enoent(c) : ok)),
      ),
    );
    expect(minikube.steps.map((s) => s.command[0])).toEqual(['docker', 'minikube', 'helm', 'helm']);
    expect(minikube.steps[2]!.command).toContain('minikube');
  });

  it('plans into the ricochet cluster when it runs, with the kubeconfig the cluster tool prints', async () => {
    const { root } = repository();
    const plan = await planDeployment(
      options('local', '--plan-only'),
      context(
        root,
        execWith((c, args) =>
          c === 'node' && args.includes('kubeconfig')
            ? { ...ok, stdout: '/var/lib/ricochet-cluster/admin.kubeconfig\n' }
            : c === 'docker'
              ? { ...ok, status: 1 }
              : ok,
        ),
      ),
    );
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

  it('refuses --cluster ricochet when the cluster is not running', async () => {
    const { root } = repository();
    const notRunning = execWith((c) =>
      c === 'node' ? { ...ok, status: 1 } : c === 'docker' ? { ...ok, status: 1 } : ok,
    );
    await expect(planDeployment(options('local', '--cluster', 'ricochet'), context(root, notRunning))).rejects.toThrow(
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
      rolloutTimeoutSeconds: undefined,
      clusterName: 'ricochet',
    });
  });

  it('lists every usage problem at once', () => {
    expect(() =>
      parseDeployArgs(
        [
          'prod',
          'extra',
          '--cluster',
          'k3d',
          '--skip-staging-gate',
          '--rollout-timeout',
          '5',
          '--image-repository',
          'x',
        ],
        {},
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'UDP_ERR_USAGE',
        problems: [
          'environment: expected one of staging, production, local, got "prod"',
          'unexpected arguments: extra',
          '--cluster: expected one of ricochet, kind, minikube, got "k3d"',
          '--skip-staging-gate: only means something for production',
          '--rollout-timeout: expected a whole number of seconds from 60 to 3600, got "5"',
          '--image-repository: only means something for local (staging and production deploy what RICOCHET_REGISTRY holds)',
        ],
      }),
    );
  });
});
