import { existsSync, readFileSync } from 'node:fs';
import { createError } from '@ricochet/errors';
import { parse } from 'yaml';
import type { Exec } from './exec';

/** Throws UDP_ERR_DEPLOY_TOOL_MISSING unless `tool` starts. */
export function requireTool(exec: Exec, tool: string, versionArgs: readonly string[], purpose: string): void {
  const result = exec(tool, versionArgs);
  if (result.error?.code === 'ENOENT') throw createError('UDP_ERR_DEPLOY_TOOL_MISSING', tool, purpose);
}

interface Kubeconfig {
  readonly 'current-context'?: string;
  readonly contexts?: readonly { readonly name?: string }[];
}

/** The context to use: the one asked for, or the kubeconfig's current one. Throws UDP_ERR_DEPLOY_KUBE_CONTEXT. */
export function resolveKubeContext(kubeconfig: string, wanted: string | undefined): string {
  if (!existsSync(kubeconfig)) throw createError('UDP_ERR_DEPLOY_KUBE_CONTEXT', `no kubeconfig at ${kubeconfig}`);
  let config: Kubeconfig;
  try {
    config = (parse(readFileSync(kubeconfig, 'utf8')) ?? {}) as Kubeconfig;
  } catch (err) {
    throw createError('UDP_ERR_DEPLOY_KUBE_CONTEXT', `${kubeconfig} is not valid YAML (${(err as Error).message})`);
  }
  const names = (config.contexts ?? []).map((c) => c.name).filter((n): n is string => typeof n === 'string');
  const context = wanted ?? config['current-context'];
  if (context === undefined || context === '') {
    throw createError('UDP_ERR_DEPLOY_KUBE_CONTEXT', `${kubeconfig} sets no current-context and none was given`);
  }
  if (!names.includes(context)) {
    throw createError(
      'UDP_ERR_DEPLOY_KUBE_CONTEXT',
      `context "${context}" is not in ${kubeconfig} (it has: ${names.join(', ') || 'none'})`,
    );
  }
  return context;
}

/** docker when a docker engine answers, podman otherwise (the docker CLI alone is not enough). */
export function detectEngine(exec: Exec): 'docker' | 'podman' {
  return exec('docker', ['info', '--format', '{{.ServerVersion}}']).status === 0 ? 'docker' : 'podman';
}

export function requireImage(exec: Exec, engine: 'docker' | 'podman', image: string): void {
  const result = exec(engine, ['image', 'inspect', image]);
  if (result.error?.code === 'ENOENT') throw createError('UDP_ERR_DEPLOY_TOOL_MISSING', engine, `find image ${image}`);
  if (result.status !== 0) throw createError('UDP_ERR_DEPLOY_IMAGE_MISSING', image);
}
