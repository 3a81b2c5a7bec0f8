import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, run, runOk, type Run } from '@ricochet/testing';
import { ENV, ROOT, describeInCluster, required } from './cluster-env';
import { helmOk, kubectl, nodeIp, nodePortOf } from './kube';
import { pingCount, startLoad } from './udp-load';

// Issue 9 end to end, as a user runs it: `nx run deploy:staging` builds and pushes the image, publishes the chart
// and applies terraform/envs/staging with the real hashicorp/helm provider; `nx run deploy:production` promotes
// what staging runs. Two commits, each in a git worktree of its own (a clean checkout of HEAD, and HEAD plus an
// empty commit), share one registry, one cluster and one Terraform state, as two CI runs on one pipeline would.

const NAMESPACES = { staging: 'ricochet-staging', production: 'ricochet-production' } as const;
const RELEASE = 'udp-server';
const PODMAN_CONF = process.env['CONTAINERS_CONF'] ?? join(ROOT, 'tools', 'containers.conf');

interface Checkout {
  readonly dir: string;
  readonly sha: string;
}

interface Outputs {
  commit: string;
  chart_version: string;
  chart_repository: string;
  image_repository: string;
  image_digest: string;
  revision: number;
  namespace: string;
}

interface HistoryEntry {
  revision: number;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}

describeInCluster('publish, then deploy what was published', () => {
  const work = makeTempDir('publish-e2e');
  const terraformDir = join(work, 'terraform');
  let env: NodeJS.ProcessEnv;
  let committed: Checkout; // HEAD
  let next: Checkout; // HEAD plus an empty commit: another commit of the same code
  let standInCreated = false;

  const git = (dir: string, ...args: string[]): Promise<Run> =>
    runOk('git', ['-c', 'user.name=cluster-e2e', '-c', 'user.email=cluster-e2e@example.com', ...args], { cwd: dir });

  async function checkout(name: string, emptyCommit: boolean): Promise<Checkout> {
    const dir = join(work, name);
    await git(ROOT, 'worktree', 'add', '--detach', dir, 'HEAD');
    if (emptyCommit)
      await git(dir, 'commit', '--allow-empty', '-q', '-m', 'cluster-e2e: another commit of the same code');
    // The dependencies of this checkout, not a copy (nothing in them differs between the two commits).
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    return { dir, sha: (await git(dir, 'rev-parse', 'HEAD')).stdout.trim() };
  }

  /** `nx run deploy:<environment>` in a checkout, as a user types it. */
  const nxDeploy = (at: Checkout, environment: string): Promise<Run> =>
    run(join(at.dir, 'node_modules', '.bin', 'nx'), ['run', `deploy:${environment}`, '--output-style=static'], {
      cwd: at.dir,
      env,
      timeoutMs: 600_000,
    });

  /** The deploy tool itself, for options Nx does not pass (--plan-only). */
  const deployTool = (at: Checkout, ...args: string[]): Promise<Run> =>
    run(process.execPath, ['tools/workspace/run-ts.mjs', 'tools/deploy/src/main.ts', ...args], {
      cwd: at.dir,
      env,
      timeoutMs: 120_000,
    });

  const terraformEnv = (environment: string): NodeJS.ProcessEnv => ({
    ...env,
    TF_DATA_DIR: join(terraformDir, environment, 'data'),
    SSL_CERT_DIR: join(terraformDir, environment, 'registry-ca'),
    TF_CLI_CONFIG_FILE: '/dev/null',
  });

  async function outputs(environment: 'staging' | 'production'): Promise<Outputs> {
    const result = await runOk('terraform', [`-chdir=terraform/envs/${environment}`, 'output', '-json'], {
      cwd: committed.dir,
      env: terraformEnv(environment),
    });
    const raw = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(raw).map(([name, output]) => [name, output.value])) as unknown as Outputs;
  }

  async function history(environment: 'staging' | 'production'): Promise<HistoryEntry[]> {
    const result = await helmOk(['history', RELEASE, '--namespace', NAMESPACES[environment], '--output', 'json']);
    return JSON.parse(result.stdout) as HistoryEntry[];
  }

  const nodePort = (environment: 'staging' | 'production'): Promise<number> =>
    nodePortOf(NAMESPACES[environment], RELEASE);

  const expectDeployed = (result: Run, environment: string): void => {
    if (result.code !== 0) {
      throw new Error(`deploy:${environment} exited ${result.code}:\n${result.stdout.slice(-6000)}\n${result.stderr}`);
    }
    expect(result.stdout).toMatch(/: 5\/5 PINGs answered/);
  };

  beforeAll(async () => {
    const standIn = await runOk(
      process.execPath,
      [join(ROOT, 'tools/offline/base-image-stand-in.mjs'), '--if-missing', '--engine', 'podman'],
      { env: { ...process.env, CONTAINERS_CONF: PODMAN_CONF }, timeoutMs: 120_000 },
    );
    standInCreated = (JSON.parse(standIn.stdout) as { created: boolean }).created;
    const pluginDir =
      process.env['RICOCHET_TERRAFORM_PLUGIN_DIR'] ||
      (
        await runOk(process.execPath, [join(ROOT, 'tools/offline/terraform-provider/build.mjs')], {
          timeoutMs: 900_000,
        })
      ).stdout.trim();
    env = {
      ...process.env,
      PATH: `${join(ROOT, '.tools', 'bin')}:${process.env['PATH'] ?? ''}`,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      CONTAINERS_CONF: PODMAN_CONF,
      KUBECONFIG: required('kubeconfig'),
      RICOCHET_REGISTRY: process.env[ENV.registry] ?? '',
      RICOCHET_REGISTRY_CA_FILE: process.env[ENV.registryCaFile] ?? '',
      // This machine has no registry to pull the real base image from: the image is built on a stand-in.
      RICOCHET_PUSH_STAND_IN_BASE: '1',
      RICOCHET_TERRAFORM_PLUGIN_DIR: pluginDir,
      RICOCHET_TERRAFORM_DIR: terraformDir,
      HELM_CACHE_HOME: join(work, 'helm', 'cache'),
      HELM_CONFIG_HOME: join(work, 'helm', 'config'),
      HELM_DATA_HOME: join(work, 'helm', 'data'),
    };
    committed = await checkout('committed', false);
    next = await checkout('next', true);
    for (const namespace of Object.values(NAMESPACES)) {
      await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=true'], undefined, 180_000);
    }
  }, 1_200_000);

  afterAll(async () => {
    for (const namespace of Object.values(NAMESPACES)) {
      await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=true'], undefined, 180_000);
    }
    const podman = { env: { ...process.env, CONTAINERS_CONF: PODMAN_CONF } };
    for (const at of [committed, next]) {
      if (at === undefined) continue;
      await run('podman', ['rmi', '--force', `${env['RICOCHET_REGISTRY']}/udp-server:${at.sha}`], podman);
      await run('git', ['worktree', 'remove', '--force', at.dir], { cwd: ROOT });
    }
    if (standInCreated) await run('podman', ['rmi', '--force', 'gcr.io/distroless/nodejs24-debian13:nonroot'], podman);
  }, 600_000);

  it('deploys another commit to staging: image pushed, chart published, release Ready, PING answered', async () => {
    expectDeployed(await nxDeploy(next, 'staging'), 'staging');
    const staging = await outputs('staging');
    expect(staging).toMatchObject({ commit: next.sha, chart_version: `0.2.0-g${next.sha.slice(0, 12)}` });
    expect(staging.image_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(staging.chart_repository).toBe(`oci://${env['RICOCHET_REGISTRY']}/charts`);
  });

  it('refuses production of this commit while staging runs the other, changing nothing; --plan-only shows why', async () => {
    const refused = await nxDeploy(committed, 'production');
    expect(refused.code).not.toBe(0);
    expect(`${refused.stdout}${refused.stderr}`).toMatch(
      new RegExp(
        `UDP_ERR_DEPLOY_GATE: Production refused: staging runs ${next.sha}, this is ${committed.sha}\\. Deploy this commit to staging first`,
      ),
    );
    expect((await kubectl(['get', 'namespace', NAMESPACES.production])).code).not.toBe(0);
    expect(existsSync(join(terraformDir, 'production'))).toBe(false);

    const plan = await deployTool(committed, 'production', '--plan-only');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`staging gate REFUSES this deployment: Production refused: staging runs ${next.sha}`);
  });

  it('deploys this commit to staging, then production runs the same chart version and image digest', async () => {
    expectDeployed(await nxDeploy(committed, 'staging'), 'staging');
    expectDeployed(await nxDeploy(committed, 'production'), 'production');
    const [staging, production] = [await outputs('staging'), await outputs('production')];
    expect(staging.commit).toBe(committed.sha);
    for (const key of ['commit', 'chart_version', 'chart_repository', 'image_repository', 'image_digest'] as const) {
      expect(production[key]).toBe(staging[key]);
    }
    expect(production.namespace).toBe(NAMESPACES.production);

    // Both answer from outside the cluster, each on the node port Kubernetes gave it.
    const [stagingPort, productionPort] = [await nodePort('staging'), await nodePort('production')];
    expect(stagingPort).not.toBe(productionPort);
    expect(await pingCount(nodeIp(), stagingPort, 5)).toBe(5);
    expect(await pingCount(nodeIp(), productionPort, 5)).toBe(5);

    // Helm's own record names the commit: the chart version and the app version, in staging's history after the
    // other commit's revision, and in production's.
    const chart = `udp-server-0.2.0-g${committed.sha.slice(0, 12)}`;
    const stagingHistory = await history('staging');
    expect(stagingHistory.map((entry) => [entry.chart, entry.app_version, entry.status])).toEqual([
      [`udp-server-0.2.0-g${next.sha.slice(0, 12)}`, next.sha, 'superseded'],
      [chart, committed.sha, 'deployed'],
    ]);
    expect((await history('production')).map((entry) => [entry.chart, entry.app_version])).toEqual([
      [chart, committed.sha],
    ]);
    const metadata = JSON.parse(
      (await helmOk(['get', 'metadata', RELEASE, '--namespace', NAMESPACES.production, '--output', 'json'])).stdout,
    ) as { appVersion: string; version: string };
    expect(metadata).toMatchObject({ appVersion: committed.sha, version: chart.slice('udp-server-'.length) });
  });

  it('deploying the same commit to staging again plans no change and applies nothing', async () => {
    const before = (await outputs('staging')).revision;
    const again = await nxDeploy(committed, 'staging');
    expectDeployed(again, 'staging');
    expect(again.stdout).toContain('is already published for');
    expect(again.stdout).toContain('(terraform plan: no changes)');
    expect(again.stdout).toContain('(skipped: nothing to change)');
    expect((await outputs('staging')).revision).toBe(before);
  });

  it('a rollout of a digest the registry does not hold fails within its timeout and rolls back; staging keeps answering', async () => {
    const before = await outputs('staging');
    const port = await nodePort('staging');
    const load = await startLoad({ host: nodeIp(), port, sockets: 4, ratePerSecond: 50 });
    const missing = `sha256:${'0'.repeat(64)}`;
    const rolloutTimeoutSeconds = 60;
    const vars = {
      image_repository: before.image_repository,
      image_tag: before.commit,
      image_digest: missing,
      chart_repository: before.chart_repository,
      chart_version: before.chart_version,
      kubeconfig_path: required('kubeconfig'),
      rollout_timeout_seconds: String(rolloutTimeoutSeconds),
    };
    const apply = await run(
      'terraform',
      [
        '-chdir=terraform/envs/staging',
        'apply',
        '-auto-approve',
        '-input=false',
        '-no-color',
        ...Object.entries(vars).flatMap(([name, value]) => ['-var', `${name}=${value}`]),
      ],
      { cwd: committed.dir, env: terraformEnv('staging'), timeoutMs: 900_000 },
    );
    const report = await load.stop();
    console.log(
      `failed rollout: terraform apply exited ${apply.code} after ${Math.round(apply.ms / 1000)} s; during it ` +
        `${report.answered}/${report.sent} PINGs answered, longest silence ${report.longestSilenceMs} ms`,
    );
    expect(apply.code).not.toBe(0);
    expect(apply.stdout + apply.stderr).toMatch(/has been rolled back/);
    // Helm's wait is the rollout budget plus staging's grace period (the chart's 15 s); then the rollback.
    expect(apply.ms).toBeGreaterThan(rolloutTimeoutSeconds * 1000);
    expect(apply.ms).toBeLessThan((rolloutTimeoutSeconds + 15) * 2 * 1000 + 60_000);
    const entries = await history('staging');
    expect(entries.slice(-2).map((entry) => entry.status)).toEqual(['failed', 'deployed']);
    expect(entries.at(-1)!.description).toMatch(/^Rollback to \d+/);
    // The old pods never stopped: no new pod became Ready, so none of them was told to drain.
    expect(report.lost).toBe(0);
    expect(report.answered).toBeGreaterThan(0);
    const after = await outputs('staging');
    expect(after).toMatchObject({ commit: before.commit, image_digest: before.image_digest });
    expect(await pingCount(nodeIp(), port, 5)).toBe(5);
  });
});
