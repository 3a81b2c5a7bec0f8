import { join } from 'node:path';

/**
 * Where Ricochet publishes and how Terraform runs, read from the environment once. Nothing here knows of any
 * particular registry: a registry on this machine's loopback and ghcr.io are set the same way.
 */
export interface RegistrySettings {
  /** host[:port][/path], the value of RICOCHET_REGISTRY: images go to <registry>/udp-server, charts to <registry>/charts. */
  readonly registry: string;
  /** RICOCHET_REGISTRY_CA_FILE: the CA that signed the registry's certificate, when not a public one. */
  readonly caFile: string | undefined;
}

export const IMAGE_NAME = 'udp-server';
export const CHART_NAME = 'udp-server';

type Env = Readonly<Record<string, string | undefined>>;

export function registrySettings(env: Env): RegistrySettings | undefined {
  const registry = (env['RICOCHET_REGISTRY'] ?? '').trim().replace(/\/+$/, '');
  if (registry === '') return undefined;
  return { registry, caFile: env['RICOCHET_REGISTRY_CA_FILE'] || undefined };
}

export const imageRepository = (settings: RegistrySettings): string => `${settings.registry}/${IMAGE_NAME}`;
/** The OCI repository charts are pushed to (helm push oci://<registry>/charts). */
export const chartRepository = (settings: RegistrySettings): string => `oci://${settings.registry}/charts`;
/** host[:port], where the registry's API answers. */
export const registryHost = (settings: RegistrySettings): string => settings.registry.split('/')[0] ?? '';

/** How the deploy tool runs Terraform for one environment. */
export interface TerraformSettings {
  /** The env root, relative to the workspace: terraform/envs/<environment>. */
  readonly rootDir: string;
  /** TF_DATA_DIR (providers, backend configuration) and plan files: outside the source tree. */
  readonly dataDir: string;
  /** With RICOCHET_TERRAFORM_DIR set: the local backend's state file there instead of beside the root. */
  readonly statePath: string | undefined;
  /** RICOCHET_TERRAFORM_PLUGIN_DIR: `terraform init -plugin-dir`, for machines without the provider registry. */
  readonly pluginDir: string | undefined;
}

export function terraformSettings(environment: string, root: string, env: Env): TerraformSettings {
  const workDir = env['RICOCHET_TERRAFORM_DIR'] || undefined;
  const base = join(workDir ?? join(root, 'tmp', 'terraform-deploy'), environment);
  return {
    rootDir: `terraform/envs/${environment}`,
    dataDir: join(base, 'data'),
    statePath: workDir === undefined ? undefined : join(base, 'terraform.tfstate'),
    pluginDir: env['RICOCHET_TERRAFORM_PLUGIN_DIR'] || undefined,
  };
}
