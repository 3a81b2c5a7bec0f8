import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './layout';
import { run, runOk, type RunResult } from './run';

/**
 * kubectl from .tools/bin (1.35, installed by `node tools/workspace/bootstrap.mjs helm`) before any on PATH: Debian's own
 * kubectl is 1.20, too far from this cluster's version.
 */
export function kubectlBinary(): string {
  const bundled = join(ROOT, '.tools', 'bin', 'kubectl');
  return existsSync(bundled) ? bundled : 'kubectl';
}

export function kubectl(kubeconfig: string, args: readonly string[], input?: string): RunResult {
  return run(kubectlBinary(), [`--kubeconfig=${kubeconfig}`, ...args], {
    timeoutMs: 300_000,
    ...(input === undefined ? {} : { input }),
  });
}

export function kubectlOk(kubeconfig: string, args: readonly string[], input?: string): string {
  return runOk(kubectlBinary(), [`--kubeconfig=${kubeconfig}`, ...args], {
    timeoutMs: 300_000,
    ...(input === undefined ? {} : { input }),
  });
}

/** Whether the node reports Ready. */
export function nodeReady(kubeconfig: string, node: string): boolean {
  const result = kubectl(kubeconfig, [
    'get',
    'node',
    node,
    '-o',
    'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
  ]);
  return result.status === 0 && result.stdout.trim() === 'True';
}
