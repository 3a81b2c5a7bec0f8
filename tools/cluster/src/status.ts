import { existsSync } from 'node:fs';
import { DAEMON_NAMES } from './daemons';
import { bridgeExists } from './host';
import { kubectl, nodeReady } from './kubectl';
import { NODE_NAME, stateDir, statePaths } from './layout';
import { running } from '@ricochet/daemon';

export interface ClusterStatus {
  readonly stateDir: string;
  readonly kubeconfig: string | undefined;
  readonly processes: readonly { readonly name: string; readonly pid: number | undefined }[];
  readonly bridge: boolean;
  readonly nodeReady: boolean;
  /** `kubectl get pods -A` when the API server answers. */
  readonly pods: string;
}

/** What runs, read from the PID files, the bridge and the API server; changes nothing. */
export function status(): ClusterStatus {
  const paths = statePaths(stateDir());
  const kubeconfig = existsSync(paths.adminKubeconfig) ? paths.adminKubeconfig : undefined;
  const processes = DAEMON_NAMES.map((name) => ({ name, pid: running(paths, name)?.pid }));
  const apiUp = kubeconfig !== undefined && processes.some((p) => p.name === 'kube-apiserver' && p.pid !== undefined);
  const pods = apiUp ? kubectl(kubeconfig, ['get', 'pods', '--all-namespaces', '-o', 'wide']) : undefined;
  return {
    stateDir: paths.dir,
    kubeconfig,
    processes,
    bridge: bridgeExists(),
    nodeReady: apiUp ? nodeReady(kubeconfig, NODE_NAME) : false,
    pods: pods?.status === 0 ? pods.stdout : '',
  };
}

export function renderStatus(s: ClusterStatus): string {
  const running = s.processes.filter((p) => p.pid !== undefined).length;
  const lines = [
    `state:      ${s.stateDir}${existsSync(s.stateDir) ? '' : ' (absent)'}`,
    `kubeconfig: ${s.kubeconfig ?? '(none: the cluster is down)'}`,
    `bridge:     ${s.bridge ? 'ricochet0 up' : 'absent'}`,
    `node:       ${NODE_NAME} ${s.nodeReady ? 'Ready' : 'not Ready'}`,
    `processes:  ${running}/${s.processes.length} running`,
    ...s.processes.map((p) => `  ${p.name.padEnd(24)} ${p.pid === undefined ? 'stopped' : `pid ${p.pid}`}`),
  ];
  if (s.pods) lines.push('', s.pods.trimEnd());
  return `${lines.join('\n')}\n`;
}
