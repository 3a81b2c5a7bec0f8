import { chartImageName, registryHost } from './image-name';
import type { LocalCluster } from './options';
import type { TerraformSettings } from './settings';

/** One command of a deployment, with the reason it runs. Pure data: printed by --plan-only, run otherwise. */
export interface Step {
  readonly why: string;
  readonly command: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Exit statuses that mean success (default [0]). */
  readonly successStatuses?: readonly number[];
  /** The status that means "nothing to change": later steps marked onlyWithChanges are skipped. */
  readonly noChanges?: number;
  readonly onlyWithChanges?: boolean;
}

/** The env roots' input variables (terraform/envs/<env>/variables.tf) the deploy tool sets. */
export const TERRAFORM_VARIABLES = {
  imageRepository: 'image_repository',
  imageTag: 'image_tag',
  imageDigest: 'image_digest',
  chartRepository: 'chart_repository',
  chartVersion: 'chart_version',
  kubeconfig: 'kubeconfig_path',
  kubeContext: 'kube_context',
  rolloutTimeoutSeconds: 'rollout_timeout_seconds',
} as const;

/** What a release runs: one published chart version and the image it pins. */
export interface Release {
  readonly chartRepository: string;
  readonly chartVersion: string;
  readonly commit: string;
  readonly imageRepository: string;
  readonly imageDigest: string;
}

export interface TerraformInput {
  readonly environment: 'staging' | 'production';
  readonly release: Release;
  readonly terraform: TerraformSettings;
  readonly kubeconfig: string;
  readonly kubeContext: string | undefined;
  readonly rolloutTimeoutSeconds: number | undefined;
}

/** The plan file, beside Terraform's data: it holds the planned values and is valid only against its state. */
export const planFile = (input: Pick<TerraformInput, 'environment' | 'terraform' | 'release'>): string =>
  `${input.terraform.dataDir}/${input.environment}-${input.release.commit.slice(0, 12)}.tfplan`;

export function terraformSteps(input: TerraformInput): Step[] {
  const { terraform, release } = input;
  const chdir = `-chdir=${terraform.rootDir}`;
  const vars = (
    [
      ['imageRepository', release.imageRepository],
      ['imageTag', release.commit],
      ['imageDigest', release.imageDigest],
      ['chartRepository', release.chartRepository],
      ['chartVersion', release.chartVersion],
      ['kubeconfig', input.kubeconfig],
      ['kubeContext', input.kubeContext],
      ['rolloutTimeoutSeconds', input.rolloutTimeoutSeconds?.toString()],
    ] as const
  ).flatMap(([key, value]) => (value === undefined ? [] : ['-var', `${TERRAFORM_VARIABLES[key]}=${value}`]));
  return [
    {
      why: `install the pinned provider${terraform.pluginDir ? ' from the plugin directory (no registry)' : ''} and open the ${input.environment} state`,
      command: [
        'terraform',
        chdir,
        'init',
        '-input=false',
        ...(terraform.pluginDir === undefined ? [] : [`-plugin-dir=${terraform.pluginDir}`]),
        ...(terraform.statePath === undefined ? [] : [`-backend-config=path=${terraform.statePath}`]),
      ],
    },
    {
      why: `compute the change: chart ${release.chartVersion} with image ${release.imageRepository}@${release.imageDigest}`,
      command: ['terraform', chdir, 'plan', '-input=false', '-detailed-exitcode', `-out=${planFile(input)}`, ...vars],
      // -detailed-exitcode: 0 no changes (the apply is skipped), 2 changes, 1 failed.
      noChanges: 0,
      successStatuses: [0, 2],
    },
    {
      why: 'apply exactly the plan above; the release waits for Ready pods and rolls back if they never are',
      command: ['terraform', chdir, 'apply', '-input=false', planFile(input)],
      onlyWithChanges: true,
    },
  ];
}

export interface LocalInput {
  readonly cluster: LocalCluster;
  readonly clusterName: string;
  readonly engine: 'docker' | 'podman';
  readonly imageRepository: string;
  readonly imageTag: string;
  readonly kubeContext: string;
  /** The ricochet cluster's admin kubeconfig; kind and minikube write their context into the user's. */
  readonly kubeconfig?: string;
  readonly archive: string;
}

/** The kube context each local cluster creates for itself. */
export function localKubeContext(cluster: LocalCluster, clusterName: string): string {
  switch (cluster) {
    case 'ricochet':
      return 'ricochet';
    case 'kind':
      return `kind-${clusterName}`;
    case 'minikube':
      return 'minikube';
  }
}

/** The cluster tool (tools/cluster), run the way its Nx targets run it. */
export const CLUSTER_TOOL = ['node', 'tools/workspace/run-ts.mjs', 'tools/cluster/src/main.ts'] as const;

/**
 * The name an engine stores a locally built image under, which is the name it keeps in a saved archive and the
 * name the node finds after loading it. A repository without a registry host is `localhost/<repo>` to podman and
 * `docker.io/library/<repo>` to docker; the pod must ask for exactly that, or the node looks for another image.
 */
export function localImageRepository(engine: 'docker' | 'podman', repository: string): string {
  if (registryHost(repository) !== undefined) return repository;
  if (engine === 'podman') return `localhost/${repository}`;
  return repository.includes('/') ? `docker.io/${repository}` : `docker.io/library/${repository}`;
}

function loadStep(input: LocalInput): Step {
  switch (input.cluster) {
    case 'ricochet':
      return {
        why: "import the image into the ricochet cluster node's containerd (no registry involved)",
        command: [...CLUSTER_TOOL, 'load-image', input.archive],
      };
    case 'kind':
      return {
        why: `load the image into every node of kind cluster "${input.clusterName}" (no registry involved)`,
        command: ['kind', 'load', 'image-archive', input.archive, '--name', input.clusterName],
      };
    case 'minikube':
      return {
        why: 'load the image into the minikube node (no registry involved)',
        command: ['minikube', 'image', 'load', input.archive],
      };
  }
}

export function localSteps(input: LocalInput): Step[] {
  const repository = localImageRepository(input.engine, input.imageRepository);
  const image = `${repository}:${input.imageTag}`;
  const chartImage = chartImageName(repository);
  const cluster = [
    ...(input.kubeconfig === undefined ? [] : ['--kubeconfig', input.kubeconfig]),
    '--kube-context',
    input.kubeContext,
  ];
  return [
    {
      why: `export ${image} from ${input.engine} so the cluster can load it under that name`,
      command: [input.engine, 'save', '-o', input.archive, image],
    },
    loadStep(input),
    {
      why: 'install or upgrade the chart with the local values: one replica, NodePort with a fixed UDP port',
      command: [
        'helm',
        'upgrade',
        '--install',
        'udp-server',
        'helm/udp-server',
        ...cluster,
        '--namespace',
        'ricochet',
        '--create-namespace',
        '-f',
        'helm/udp-server/values-local.yaml',
        '--set',
        `image.registry=${chartImage.registry}`,
        '--set',
        `image.repository=${chartImage.repository}`,
        '--set',
        `image.tag=${input.imageTag}`,
        '--wait=watcher',
        '--timeout',
        '3m',
        '--rollback-on-failure',
      ],
    },
    {
      why: "prove it answers over UDP through the Service (the chart's helm test pod runs health-probe ping)",
      command: ['helm', 'test', 'udp-server', ...cluster, '--namespace', 'ricochet', '--timeout', '2m'],
    },
  ];
}
