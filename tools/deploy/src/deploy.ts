import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createError } from '@ricochet/errors';
import { formatCommand, type Exec } from './exec';
import { readGitState, type GitState } from './git-state';
import type { DeployOptions, LocalCluster } from './options';
import { detectEngine, requireImage, requireTool, resolveKubeContext } from './preflight';
import { chartVersion, readChartVersions } from './publish-chart';
import { readChartRecord } from './records';
import { checkRegistry, manifestExists, repositoryPath } from './registry-api';
import {
  CHART_NAME,
  chartRepository,
  imageRepository,
  registrySettings,
  terraformSettings,
  type RegistrySettings,
  type TerraformSettings,
} from './settings';
import type { SmokeTarget } from './smoke';
import { checkStagingGate, readOutputs, runningRelease } from './staging-gate';
import { CLUSTER_TOOL, localKubeContext, localSteps, terraformSteps, type Release, type Step } from './steps';
import { terraformEnv } from './terraform-env';

export interface DeployPlan {
  readonly image: string;
  /** What was decided and why: the tag, the gate, the context. */
  readonly notes: readonly string[];
  readonly steps: readonly Step[];
  /** Staging and production: the Terraform settings the steps use, the release they apply and where to PING it. */
  readonly terraform?: { readonly settings: TerraformSettings; readonly caFile: string | undefined };
  readonly smoke?: Omit<SmokeTarget, 'namespace' | 'release'>;
}

export interface DeployContext {
  readonly exec: Exec;
  /** The workspace root: every command runs there. */
  readonly root: string;
  /** The environment the settings are read from (RICOCHET_REGISTRY…). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Decides everything a deployment will do, checking all that can be checked without changing anything. Throws a
 * coded DeployError for a dirty tree, a closed gate, a missing tool, context, registry, provider or published
 * artifact. With `planOnly`, skips the checks that need a cluster, the registry or tools, and says so in the
 * notes; the staging gate's refusal then becomes a note too.
 */
export async function planDeployment(options: DeployOptions, context: DeployContext): Promise<DeployPlan> {
  const { exec, root, env } = context;
  const git = readGitState(exec, root);
  if (git.dirtyFiles.length > 0 && !options.allowDirty) {
    const shown =
      git.dirtyFiles.slice(0, 5).join(', ') + (git.dirtyFiles.length > 5 ? `, … ${git.dirtyFiles.length} in all` : '');
    throw createError('UDP_ERR_DEPLOY_DIRTY_TREE', shown);
  }
  if (options.environment === 'local') {
    const image = `${options.imageRepository}:${git.sha}`;
    const notes = [`image ${image}: tagged with the current commit (${git.sha})`];
    if (git.dirtyFiles.length > 0)
      notes.push(`--allow-dirty: ${git.dirtyFiles.length} uncommitted changes are NOT in the image`);
    return planLocal(options, context, git.sha, image, notes);
  }

  const settings = registrySettings(env);
  // A real deployment pushes nothing but reads the registry: it must be configured (plan-only shows placeholders).
  const registry = options.planOnly ? undefined : settings;
  if (settings === undefined && !options.planOnly) {
    throw createError('UDP_ERR_DEPLOY_REGISTRY_MISSING', `deploy to ${options.environment}`);
  }
  const notes: string[] = [];
  if (git.dirtyFiles.length > 0) {
    notes.push(
      `--allow-dirty: ${git.dirtyFiles.length} uncommitted changes; what deploys is what commit ${git.sha.slice(0, 12)} published`,
    );
  }
  const terraform = terraformSettings(options.environment, root, env);
  let kubeContext = options.kubeContext;
  // What this machine needs, before anything about the release: each missing piece is one coded error.
  if (!options.planOnly) {
    requireTool(exec, 'terraform', ['version'], `deploy to ${options.environment}`);
    requireTool(exec, 'kubectl', ['version', '--client'], 'find the Service to PING after the apply');
    requireProvider(root, terraform.pluginDir);
    kubeContext = resolveKubeContext(options.kubeconfig, options.kubeContext);
    if (registry !== undefined) await checkRegistry(registry);
  }
  const release =
    options.environment === 'staging'
      ? publishedRelease(root, git, settings, options.planOnly, notes)
      : promotedRelease(options, context, git, settings, notes);
  notes.unshift(
    `release ${release.chartRepository}/${CHART_NAME} ${release.chartVersion}: commit ${release.commit}, image ${release.imageRepository}@${release.imageDigest}`,
  );
  if (registry === undefined) {
    notes.push(
      `plan only: not checking the registry, terraform, the provider or the cluster; context ${kubeContext ?? '(current context)'} from ${options.kubeconfig}`,
    );
  } else {
    await requirePublished(registry, release);
    notes.push(`context ${kubeContext} from ${options.kubeconfig}`);
  }
  notes.push(
    `terraform root ${terraform.rootDir}, data ${terraform.dataDir}${terraform.statePath ? `, state ${terraform.statePath}` : ''}`,
  );
  const environment = terraformEnv(terraform, settings?.caFile);
  const steps = terraformSteps({
    environment: options.environment,
    release,
    terraform,
    kubeconfig: options.kubeconfig,
    kubeContext,
    rolloutTimeoutSeconds: options.rolloutTimeoutSeconds,
  }).map((step) => ({ ...step, env: environment }));
  return {
    image: `${release.imageRepository}:${release.commit}@${release.imageDigest}`,
    notes,
    steps,
    terraform: { settings: terraform, caFile: settings?.caFile },
    smoke: { kubeconfig: options.kubeconfig, kubeContext },
  };
}

/** Staging deploys what this commit published (nx run deploy:publish-chart wrote dist/charts/udp-server.json). */
function publishedRelease(
  root: string,
  { sha, tags }: GitState,
  settings: RegistrySettings | undefined,
  planOnly: boolean,
  notes: string[],
): Release {
  const record = readChartRecord(root);
  if (record !== undefined && record.commit === sha) {
    if (settings !== undefined && record.repository !== chartRepository(settings)) {
      throw createError(
        'UDP_ERR_DEPLOY_NOT_PUBLISHED',
        `The chart of ${sha} in ${chartRepository(settings)}`,
        `dist/ records it in ${record.repository}. Publish it again: nx run deploy:publish-chart.`,
      );
    }
    return {
      chartRepository: record.repository,
      chartVersion: record.version,
      commit: sha,
      imageRepository: record.image.repository,
      imageDigest: record.image.digest,
    };
  }
  const publish = 'Publish it first: nx run deploy:publish-chart (nx run deploy:staging runs it before deploying).';
  if (!planOnly) throw createError('UDP_ERR_DEPLOY_NOT_PUBLISHED', `The chart of ${sha}`, publish);
  notes.push(`not published yet: ${publish}`);
  return {
    chartRepository: settings === undefined ? 'oci://$RICOCHET_REGISTRY/charts' : chartRepository(settings),
    chartVersion: chartVersion({ ...readChartVersions(root), sha, tags }),
    commit: sha,
    imageRepository: settings === undefined ? '$RICOCHET_REGISTRY/udp-server' : imageRepository(settings),
    imageDigest: '<digest of the push>',
  };
}

/** Production deploys what staging runs, once the gate lets it; with --skip-staging-gate, what this commit published. */
function promotedRelease(
  options: DeployOptions,
  { exec, root, env }: DeployContext,
  git: GitState,
  settings: RegistrySettings | undefined,
  notes: string[],
): Release {
  const { sha } = git;
  const staging = runningRelease(readOutputs(exec, root, terraformSettings('staging', root, env)));
  const verdict = checkStagingGate(sha, staging, { skip: options.skipStagingGate, planOnly: options.planOnly });
  notes.push(verdict.note);
  if (staging !== undefined && staging.commit === sha) return staging;
  return publishedRelease(root, git, settings, options.planOnly, notes);
}

/** Throws UDP_ERR_DEPLOY_PROVIDER_MISSING when a plugin directory is set but holds no hashicorp/helm build. */
function requireProvider(root: string, pluginDir: string | undefined): void {
  if (pluginDir === undefined) return;
  const version = pinnedProviderVersion(root);
  const dir = join(pluginDir, 'registry.terraform.io', 'hashicorp', 'helm', version);
  if (!existsSync(dir)) {
    throw createError(
      'UDP_ERR_DEPLOY_PROVIDER_MISSING',
      `hashicorp/helm ${version}`,
      `RICOCHET_TERRAFORM_PLUGIN_DIR=${pluginDir} holds no ${dir}`,
    );
  }
}

/** The exact hashicorp/helm version the env roots pin (terraform/envs/staging/versions.tf). */
export function pinnedProviderVersion(root: string): string {
  const versions = readFileSync(join(root, 'terraform', 'envs', 'staging', 'versions.tf'), 'utf8');
  const block = /helm\s*=\s*\{[^}]*\}/.exec(versions)?.[0] ?? '';
  return /version\s*=\s*"([^"]+)"/.exec(block)?.[1] ?? 'unknown';
}

/** The registry holds the release's image and chart (when it will say without credentials). */
async function requirePublished(settings: RegistrySettings, release: Release): Promise<void> {
  const image = await manifestExists(settings, repositoryPath(release.imageRepository), release.imageDigest);
  if (image === false) {
    throw createError(
      'UDP_ERR_DEPLOY_NOT_PUBLISHED',
      `The image ${release.imageRepository}@${release.imageDigest}`,
      'The registry does not hold it: push it again (nx run udp-server:docker), or deploy staging anew.',
    );
  }
  const chart = await manifestExists(
    settings,
    `${repositoryPath(release.chartRepository.replace(/^oci:\/\//, ''))}/${CHART_NAME}`,
    release.chartVersion,
  );
  if (chart === false) {
    throw createError(
      'UDP_ERR_DEPLOY_NOT_PUBLISHED',
      `The chart ${release.chartRepository}/${CHART_NAME} ${release.chartVersion}`,
      'The registry does not hold it: publish it again (nx run deploy:publish-chart).',
    );
  }
}

/** The ricochet cluster's admin kubeconfig when it runs (`cluster kubeconfig` exits 0), else undefined. */
function ricochetKubeconfig(exec: Exec, root: string): string | undefined {
  const [command, ...args] = CLUSTER_TOOL;
  const result = exec(command, [...args, 'kubeconfig'], { cwd: root });
  return result.status === 0 ? result.stdout.trim() || undefined : undefined;
}

function planLocal(
  options: DeployOptions,
  { exec, root }: DeployContext,
  sha: string,
  image: string,
  notes: string[],
): DeployPlan {
  const installed = (tool: string): boolean => exec(tool, ['version']).error === undefined;
  const ricochet =
    options.cluster === undefined || options.cluster === 'ricochet' ? ricochetKubeconfig(exec, root) : undefined;
  // Default: the ricochet cluster when it runs, else kind if installed, else minikube if installed, else kind
  // (the preflight then says it is missing).
  const cluster: LocalCluster =
    options.cluster ??
    (ricochet !== undefined ? 'ricochet' : !installed('kind') && installed('minikube') ? 'minikube' : 'kind');
  const kubeContext = options.kubeContext ?? localKubeContext(cluster, options.clusterName);
  const kubeconfig = cluster === 'ricochet' ? (ricochet ?? options.kubeconfig) : undefined;
  const engine = detectEngine(exec);
  if (options.planOnly) {
    notes.push(`plan only: not checking for ${cluster}, helm, the image or the cluster`);
  } else {
    if (cluster === 'ricochet') {
      if (ricochet === undefined) {
        throw createError(
          'UDP_ERR_DEPLOY_KUBE_CONTEXT',
          'the ricochet cluster is not running (start it: nx run cluster:up)',
        );
      }
    } else {
      requireTool(exec, cluster, ['version'], `load the image into the ${cluster} cluster`);
    }
    requireTool(exec, 'helm', ['version'], 'install the chart');
    resolveKubeContext(kubeconfig ?? options.kubeconfig, kubeContext);
    requireImage(exec, engine, image);
  }
  notes.push(
    `${cluster} cluster, context ${kubeContext}${kubeconfig ? ` from ${kubeconfig}` : ''}, image from ${engine}`,
  );
  const archive = join(root, 'tmp', 'deploy', `udp-server-${sha.slice(0, 12)}.tar`);
  return {
    image,
    notes,
    steps: localSteps({
      cluster,
      clusterName: options.clusterName,
      engine,
      imageRepository: options.imageRepository,
      imageTag: sha,
      kubeContext,
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      archive,
    }),
  };
}

export function renderPlan(plan: DeployPlan, planOnly: boolean): string {
  const lines = [planOnly ? 'Plan only: nothing will run.' : 'Deploying:'];
  for (const note of plan.notes) lines.push(`  - ${note}`);
  plan.steps.forEach((step, i) => {
    lines.push('', `# ${i + 1}/${plan.steps.length}: ${step.why}`, `$ ${formatCommand(step.command, step.env)}`);
  });
  return lines.join('\n');
}

/**
 * Runs the steps in order, output shown live; throws UDP_ERR_DEPLOY_COMMAND_FAILED at the first failure (a
 * provider Terraform cannot install, UDP_ERR_DEPLOY_PROVIDER_MISSING). Returns false when a step reported nothing
 * to change, so the steps that apply changes were skipped.
 */
export function runPlan(plan: DeployPlan, { exec, root }: DeployContext, log: (line: string) => void): boolean {
  let changes = true;
  plan.steps.forEach((step, i) => {
    const header = `\n# ${i + 1}/${plan.steps.length}: ${step.why}\n$ ${formatCommand(step.command, step.env)}`;
    if (step.onlyWithChanges && !changes) {
      log(`${header}\n(skipped: nothing to change)`);
      return;
    }
    log(header);
    const [command, ...args] = step.command as [string, ...string[]];
    const isInit = args.includes('init');
    const started = performance.now();
    // init's output is short and says why a provider could not be installed: kept to tell that case apart.
    const result = exec(command, args, { cwd: root, inherit: !isInit, ...(step.env ? { env: step.env } : {}) });
    if (isInit) log(`${result.stdout}${result.stderr}`.trimEnd());
    const succeeded = result.error === undefined && (step.successStatuses ?? [0]).includes(result.status ?? -1);
    if (!succeeded) {
      if (isInit && /provider|registry\.terraform\.io/i.test(`${result.stdout}${result.stderr}`)) {
        throw createError('UDP_ERR_DEPLOY_PROVIDER_MISSING', 'hashicorp/helm', 'terraform init could not install it');
      }
      const status = result.error ? result.error.message : `exit code ${result.status}`;
      throw createError('UDP_ERR_DEPLOY_COMMAND_FAILED', formatCommand(step.command, step.env), status);
    }
    log(`(${i + 1}/${plan.steps.length} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    if (step.noChanges !== undefined && result.status === step.noChanges) {
      changes = false;
      log('(terraform plan: no changes)');
    }
  });
  return changes;
}
