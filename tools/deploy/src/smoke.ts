import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createError } from '@ricochet/errors';
import type { Exec } from './exec';

/** Where the release was applied, and how to reach its cluster. */
export interface SmokeTarget {
  readonly namespace: string;
  readonly release: string;
  readonly kubeconfig: string;
  readonly kubeContext: string | undefined;
}

interface ServiceJson {
  metadata: { name: string };
  spec: { type: string; ports?: { protocol?: string; port: number; nodePort?: number }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

interface NodeJson {
  status: { addresses?: { type: string; address: string }[] };
}

const PING_ATTEMPTS_MS = 60_000;

function kubectlJson<T>(exec: Exec, target: SmokeTarget, args: readonly string[]): T {
  const context = target.kubeContext === undefined ? [] : ['--context', target.kubeContext];
  const result = exec('kubectl', ['--kubeconfig', target.kubeconfig, ...context, ...args, '-o', 'json']);
  if (result.status !== 0) {
    throw createError('UDP_ERR_DEPLOY_SMOKE_FAILED', `kubectl ${args.join(' ')}`, result.stderr.trim());
  }
  return JSON.parse(result.stdout) as T;
}

/**
 * Where a client outside the cluster reaches the release's UDP Service: a node's address and the node port
 * (NodePort), or the load balancer's (LoadBalancer). A ClusterIP Service is reachable only from inside.
 */
export function udpEndpoint(
  services: readonly ServiceJson[],
  nodes: readonly NodeJson[],
): { host: string; port: number } {
  const service = services.find((s) => s.spec.ports?.some((p) => p.protocol === 'UDP'));
  const port = service?.spec.ports?.find((p) => p.protocol === 'UDP');
  if (service === undefined || port === undefined) throw new Error('the release has no UDP Service');
  const ingress = service.status?.loadBalancer?.ingress?.[0];
  if (service.spec.type === 'LoadBalancer' && ingress !== undefined) {
    return { host: ingress.ip ?? ingress.hostname ?? '', port: port.port };
  }
  if ((service.spec.type === 'NodePort' || service.spec.type === 'LoadBalancer') && port.nodePort !== undefined) {
    const addresses = nodes.flatMap((node) => node.status.addresses ?? []);
    const address = addresses.find((a) => a.type === 'ExternalIP') ?? addresses.find((a) => a.type === 'InternalIP');
    if (address === undefined) throw new Error('no node reports an address');
    return { host: address.address, port: port.nodePort };
  }
  throw new Error(
    `Service ${service.metadata.name} is ${service.spec.type}: not reachable from outside the cluster (helm test runs the check from inside)`,
  );
}

/**
 * PINGs the release through its Service from here, with the health probe this commit built, until every PING of
 * one round is answered or a minute passes (kube-proxy may write the Service's rules a moment after the pods are
 * Ready). Returns what it saw; throws UDP_ERR_DEPLOY_SMOKE_FAILED otherwise.
 */
export async function smokeCheck(exec: Exec, root: string, target: SmokeTarget): Promise<string> {
  const selector = `app.kubernetes.io/instance=${target.release}`;
  let endpoint: { host: string; port: number };
  try {
    endpoint = udpEndpoint(
      kubectlJson<{ items: ServiceJson[] }>(exec, target, ['-n', target.namespace, 'get', 'services', '-l', selector])
        .items,
      kubectlJson<{ items: NodeJson[] }>(exec, target, ['get', 'nodes']).items,
    );
  } catch (err) {
    if (err instanceof Error && !('code' in err)) {
      throw createError('UDP_ERR_DEPLOY_SMOKE_FAILED', `${target.namespace}/${target.release}`, err.message);
    }
    throw err;
  }
  const where = `${endpoint.host}:${endpoint.port}`;
  const probe = join(root, 'dist', 'apps', 'health-probe', 'main.js');
  const args = [probe, 'ping', '--host', endpoint.host, '--port', String(endpoint.port), '--count', '5'];
  const deadline = performance.now() + PING_ATTEMPTS_MS;
  let last = '';
  for (;;) {
    const result = exec(process.execPath, [...args, '--interval', '0.1', '--json']);
    if (result.error !== undefined) throw createError('UDP_ERR_DEPLOY_SMOKE_FAILED', where, result.error.message);
    try {
      const summary = JSON.parse(result.stdout) as { sent: number; received: number; rttMs?: { avg: number } };
      last = `${summary.received}/${summary.sent} PINGs answered`;
      if (summary.sent > 0 && summary.received === summary.sent) {
        return `${where}: ${last}, average round trip ${summary.rttMs?.avg.toFixed(1) ?? '?'} ms`;
      }
    } catch {
      last = (result.stderr || result.stdout).trim() || `health-probe exited ${result.status}`;
    }
    if (performance.now() > deadline) break;
    await delay(1_000);
  }
  throw createError('UDP_ERR_DEPLOY_SMOKE_FAILED', where, `${last} (for ${PING_ATTEMPTS_MS / 1000} s)`);
}
