import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { configError } from '@ricochet/errors';

export const ENVIRONMENTS = ['staging', 'production', 'local'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const LOCAL_CLUSTERS = ['ricochet', 'kind', 'minikube'] as const;
export type LocalCluster = (typeof LOCAL_CLUSTERS)[number];

export interface DeployOptions {
  readonly environment: Environment;
  /** Print what would run and why; run nothing, need no cluster. */
  readonly planOnly: boolean;
  readonly allowDirty: boolean;
  /** Production only: deploy even if staging does not run this commit. */
  readonly skipStagingGate: boolean;
  readonly kubeconfig: string;
  /** Undefined: the kubeconfig's current context. */
  readonly kubeContext: string | undefined;
  /** Local only: the repository of the image built into the local engine (no registry involved). */
  readonly imageRepository: string;
  /** Staging and production: seconds a rollout may take before Helm rolls it back; undefined: settings.yaml's. */
  readonly rolloutTimeoutSeconds: number | undefined;
  /** Local only: which local cluster to load the image into; undefined picks the one installed. */
  readonly cluster: LocalCluster | undefined;
  readonly clusterName: string;
}

export const USAGE = `Usage: deploy <staging|production|local> [options]

  staging      the chart and image this commit published (nx run deploy:staging publishes them first), with
               terraform/envs/staging; waits for Ready pods, PINGs the Service, prints the outputs
  production   the same chart version and image digest staging runs, with terraform/envs/production; refused
               unless staging runs this commit
  local        this checkout's image, loaded into a local cluster without a registry, with helm

  --plan-only            Print every command that would run, and why (and the gate's verdict); run nothing.
  --allow-dirty          Deploy even with uncommitted changes (the image tag is still the commit's).
  --skip-staging-gate    Production: deploy this commit's published chart although staging does not run it.
  --rollout-timeout <s>  Staging, production: seconds a rollout may take before Helm rolls it back (60-3600).
  --kubeconfig <path>    Default: $KUBECONFIG, else ~/.kube/config.
  --kube-context <name>  Default: the kubeconfig's current context (kind: kind-<cluster-name>, minikube: minikube).
  --image-repository <r> Local only: the image's repository in the local engine. Default udp-server.
  --cluster <ricochet|kind|minikube>
                         Local only: default, the ricochet cluster (nx run cluster:up) when it runs, else
                         whichever of kind and minikube is installed (kind first).
  --cluster-name <name>  Local only, kind: default ricochet.

Environment (staging, production):
  RICOCHET_REGISTRY              host[:port][/path] images and charts are published under (e.g. ghcr.io/acme)
  RICOCHET_REGISTRY_CA_FILE      the CA of a registry with a private certificate authority
  RICOCHET_TERRAFORM_PLUGIN_DIR  terraform init -plugin-dir, without access to registry.terraform.io
                                 (nx run terraform-provider:build prints it)
  RICOCHET_TERRAFORM_DIR         Terraform's working data and, with the local backend, its state (per environment);
                                 default: data under tmp/terraform-deploy, state where backend.tf keeps it
`;

export function parseDeployArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): DeployOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'plan-only': { type: 'boolean', default: false },
        'allow-dirty': { type: 'boolean', default: false },
        'skip-staging-gate': { type: 'boolean', default: false },
        kubeconfig: { type: 'string' },
        'kube-context': { type: 'string' },
        'image-repository': { type: 'string' },
        'rollout-timeout': { type: 'string' },
        cluster: { type: 'string' },
        'cluster-name': { type: 'string', default: 'ricochet' },
      },
    });
  } catch (err) {
    throw configError('UDP_ERR_USAGE', [(err as Error).message]);
  }
  const { values, positionals } = parsed;
  const problems: string[] = [];
  const [environment, ...extra] = positionals;
  if (!ENVIRONMENTS.includes(environment as Environment)) {
    problems.push(`environment: expected one of ${ENVIRONMENTS.join(', ')}, got ${JSON.stringify(environment ?? '')}`);
  }
  if (extra.length > 0) problems.push(`unexpected arguments: ${extra.join(' ')}`);
  if (values.cluster !== undefined && !LOCAL_CLUSTERS.includes(values.cluster as LocalCluster)) {
    problems.push(`--cluster: expected one of ${LOCAL_CLUSTERS.join(', ')}, got ${JSON.stringify(values.cluster)}`);
  }
  if (values['skip-staging-gate'] && environment !== 'production')
    problems.push('--skip-staging-gate: only means something for production');
  const rolloutTimeout = values['rollout-timeout'] === undefined ? undefined : Number(values['rollout-timeout']);
  if (
    rolloutTimeout !== undefined &&
    !(Number.isInteger(rolloutTimeout) && rolloutTimeout >= 60 && rolloutTimeout <= 3600)
  )
    problems.push(
      `--rollout-timeout: expected a whole number of seconds from 60 to 3600, got ${JSON.stringify(values['rollout-timeout'])}`,
    );
  if (values['image-repository'] !== undefined && environment !== 'local')
    problems.push(
      '--image-repository: only means something for local (staging and production deploy what RICOCHET_REGISTRY holds)',
    );
  if (problems.length > 0) throw configError('UDP_ERR_USAGE', problems);
  return {
    environment: environment as Environment,
    planOnly: values['plan-only'],
    allowDirty: values['allow-dirty'],
    skipStagingGate: values['skip-staging-gate'],
    kubeconfig: values.kubeconfig ?? firstKubeconfig(env['KUBECONFIG']) ?? join(homedir(), '.kube', 'config'),
    kubeContext: values['kube-context'],
    imageRepository: values['image-repository'] ?? 'udp-server',
    rolloutTimeoutSeconds: rolloutTimeout,
    cluster: values.cluster as LocalCluster | undefined,
    clusterName: values['cluster-name'],
  };
}

/** KUBECONFIG may list several files; the first is the one written to and read for the current context. */
function firstKubeconfig(value: string | undefined): string | undefined {
  const first = value?.split(':').find((path) => path !== '');
  return first;
}
