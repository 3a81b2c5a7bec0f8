import { join } from 'node:path';
import { createError } from '@ricochet/errors';
import { formatCommand, type Exec } from './exec';
import { readGitState } from './git-state';
import type { DeployOptions, LocalCluster } from './options';
import { detectEngine, requireImage, requireTool, resolveKubeContext } from './preflight';
import { checkStagingGate, readStagingImageTag } from './staging-gate';
import { CLUSTER_TOOL, localKubeContext, localSteps, terraformDirectory, terraformSteps, type Step } from './steps';

export interface DeployPlan {
  readonly image: string;
  /** What was decided and why: the tag, the gate, the context. */
  readonly notes: readonly string[];
  readonly steps: readonly Step[];
}

export interface DeployContext {
  readonly exec: Exec;
  /** The workspace root: every command runs there. */
  readonly root: string;
}

/**
 * Decides everything a deployment will do, checking what can be checked without changing anything. Throws a
 * coded DeployError for a dirty tree, a closed gate, a missing tool, context or image. With `planOnly`, skips
 * the checks that need a cluster, tools or the image, and says so in the notes.
 */
export function planDeployment(options: DeployOptions, { exec, root }: DeployContext): DeployPlan {
  const git = readGitState(exec, root);
  if (git.dirtyFiles.length > 0 && !options.allowDirty) {
    const shown =
      git.dirtyFiles.slice(0, 5).join(', ') + (git.dirtyFiles.length > 5 ? `, … ${git.dirtyFiles.length} in all` : '');
    throw createError('UDP_ERR_DEPLOY_DIRTY_TREE', shown);
  }
  const image = `${options.imageRepository}:${git.sha}`;
  const notes = [`image ${image}: tagged with the current commit (${git.sha})`];
  if (git.dirtyFiles.length > 0)
    notes.push(`--allow-dirty: ${git.dirtyFiles.length} uncommitted changes are NOT in the image`);
  if (options.environment === 'local') return planLocal(options, { exec, root }, git.sha, image, notes);

  if (options.environment === 'production') {
    notes.push(checkStagingGate(git.sha, readStagingImageTag(exec, root), options.skipStagingGate));
  }
  let kubeContext = options.kubeContext;
  if (options.planOnly) {
    notes.push(
      `plan only: not checking for terraform, the image or the cluster; context ${kubeContext ?? '(current context)'} from ${options.kubeconfig}`,
    );
  } else {
    requireTool(exec, 'terraform', ['version'], `deploy to ${options.environment}`);
    kubeContext = resolveKubeContext(options.kubeconfig, options.kubeContext);
    requireImage(exec, detectEngine(exec), image);
    notes.push(`context ${kubeContext} from ${options.kubeconfig}`);
  }
  notes.push(`terraform root ${terraformDirectory(options.environment)}`);
  const steps = terraformSteps({
    environment: options.environment,
    imageRepository: options.imageRepository,
    imageTag: git.sha,
    kubeconfig: options.kubeconfig,
    kubeContext,
  });
  return { image, notes, steps };
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

/** Runs the steps in order, output shown live; throws UDP_ERR_DEPLOY_COMMAND_FAILED at the first failure. */
export function runPlan(plan: DeployPlan, { exec, root }: DeployContext, log: (line: string) => void): void {
  plan.steps.forEach((step, i) => {
    log(`\n# ${i + 1}/${plan.steps.length}: ${step.why}\n$ ${formatCommand(step.command, step.env)}`);
    const [command, ...args] = step.command as [string, ...string[]];
    const result = exec(command, args, { cwd: root, inherit: true, ...(step.env ? { env: step.env } : {}) });
    if (result.error !== undefined || result.status !== 0) {
      const status = result.error ? result.error.message : `exit code ${result.status}`;
      throw createError('UDP_ERR_DEPLOY_COMMAND_FAILED', formatCommand(step.command, step.env), status);
    }
  });
}
