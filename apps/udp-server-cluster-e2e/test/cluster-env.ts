import { join } from 'node:path';
import { describeIf } from '@ricochet/testing';

/**
 * What the global set-up established, handed to the test files through the environment (Jest starts its
 * workers after the global set-up, so they inherit it).
 */
export const ROOT = join(__dirname, '..', '..', '..');
export const CHART = join(ROOT, 'helm', 'udp-server');
export const TOOLS_BIN = join(ROOT, '.tools', 'bin');
export const HELM = join(TOOLS_BIN, 'helm');
export const KUBECTL = join(TOOLS_BIN, 'kubectl');

/** podman reads the repo's settings (runc, no default ulimits) unless the caller chose others. */
export const PODMAN_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CONTAINERS_CONF: process.env['CONTAINERS_CONF'] ?? join(ROOT, 'tools', 'containers.conf'),
};

/** The cluster tool, run as its Nx targets run it. */
export const CLUSTER_TOOL = [
  join(ROOT, 'tools', 'workspace', 'run-ts.mjs'),
  join(ROOT, 'tools', 'cluster', 'src', 'main.ts'),
];
/** The registry tool (tools/registry), likewise. */
export const REGISTRY_TOOL = [
  join(ROOT, 'tools', 'workspace', 'run-ts.mjs'),
  join(ROOT, 'tools', 'registry', 'src', 'main.ts'),
];

export const ENV = {
  kubeconfig: 'RICOCHET_E2E_KUBECONFIG',
  imageRepository: 'RICOCHET_E2E_IMAGE_REPOSITORY',
  imageTag: 'RICOCHET_E2E_IMAGE_TAG',
  /** Set when the global set-up brought the cluster up, so the teardown brings it down. */
  startedCluster: 'RICOCHET_E2E_STARTED_CLUSTER',
  /** The registry the node trusts, as RICOCHET_REGISTRY and RICOCHET_REGISTRY_CA_FILE say it. */
  registry: 'RICOCHET_E2E_REGISTRY',
  registryCaFile: 'RICOCHET_E2E_REGISTRY_CA_FILE',
  /** Set when the global set-up started the registry, so the teardown stops it. */
  startedRegistry: 'RICOCHET_E2E_STARTED_REGISTRY',
  /** Why the suite cannot run here (not root, no Go); empty when it can. */
  cannotRun: 'RICOCHET_E2E_CANNOT_RUN',
} as const;

/** Why this machine cannot run the cluster tests, or undefined when it can. */
export function whyCannotRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'the cluster tests need root (the cluster makes a bridge, chains and mounts)';
  return undefined;
}

export function required(name: keyof typeof ENV): string {
  const value = process.env[ENV[name]];
  if (!value) {
    throw new Error(
      `${ENV[name]} is not set: the global set-up (test/global-setup.ts) did not bring the cluster up` +
        (process.env[ENV.cannotRun] ? ` (${process.env[ENV.cannotRun]})` : ''),
    );
  }
  return value;
}

/**
 * `describe` for a suite of cluster tests: skipped where the cluster cannot run, failing with the reason under CI.
 * A function, not describeIf's result, so that the global set-up can import this file outside a test file.
 */
export const describeInCluster = (name: string, body: () => void): void =>
  describeIf(whyCannotRun() === undefined, whyCannotRun() ?? '')(name, body);
