import { createError, isRicochetError } from '@ricochet/errors';
import { ensureAllComponents } from './build-components';
import type { DaemonName } from './daemons';
import { importArchive } from './images';
import { stateDir, statePaths, type StatePaths } from './layout';
import { running } from '@ricochet/daemon';
import { down } from './down';
import { renderStatus, status } from './status';
import { trustRegistry } from './registry-hosts';
import { up } from './up';

const USAGE = `Usage: cluster <up|down|status|build|kubeconfig|load-image ARCHIVE|trust-registry HOST CA_FILE>   (normally: nx run cluster:<command>)

A single-node Kubernetes on this machine, from upstream components built from the Go module proxy.

  build    build (or find in the cache) every component, print where they are
  up       build what is missing, start etcd, the control plane, containerd, the kubelet, kube-proxy,
           CoreDNS and metrics-server; print the admin kubeconfig. Safe to run again.
  down     stop everything and remove what up made: processes, mounts, network namespaces, the bridge,
           iptables chains, cgroups, the state directory; restore the kernel settings. Safe after a failed up.
  status   what runs
  kubeconfig         print the admin kubeconfig's path (exit 1 when the cluster is down)
  load-image ARCHIVE import an image archive (docker save / podman save) into the node's containerd
  trust-registry HOST[:PORT] CA_FILE
                     let the node's containerd pull from a registry whose certificate CA_FILE signed (up does
                     this for RICOCHET_REGISTRY when RICOCHET_REGISTRY_CA_FILE is set)

Environment: RICOCHET_CLUSTER_DIR (state, default /var/lib/ricochet-cluster), RICOCHET_COMPONENT_CACHE
(built programs, default ~/.cache/ricochet/cluster). Exit codes: 0 done, 1 failed, 64 bad command line.
`;

const log = (line: string): void => {
  process.stderr.write(`[cluster] ${line}\n`);
};

/** The state paths of the running cluster; throws UDP_ERR_CLUSTER_NOT_RUNNING when `daemon` is not up. */
function requireRunning(daemon: DaemonName): StatePaths {
  const paths = statePaths(stateDir());
  if (running(paths, daemon) === undefined) throw createError('UDP_ERR_CLUSTER_NOT_RUNNING', daemon);
  return paths;
}

async function main(command: string, args: readonly string[]): Promise<number> {
  switch (command) {
    case 'build': {
      const components = await ensureAllComponents(log);
      for (const component of Object.values(components)) {
        process.stdout.write(`${component.name} ${component.version} ${component.bin}\n`);
      }
      return 0;
    }
    case 'up': {
      const result = await up(log);
      log(`cluster up in ${result.seconds} s`);
      process.stdout.write(`export KUBECONFIG=${result.kubeconfig}\n`);
      return 0;
    }
    case 'down': {
      const report = await down(log);
      if (report.leftovers.length > 0) {
        log(`down left ${report.leftovers.length} things behind:\n  ${report.leftovers.join('\n  ')}`);
        return 1;
      }
      log(`cluster down in ${report.seconds} s; nothing left behind`);
      return 0;
    }
    case 'status':
      process.stdout.write(renderStatus(status()));
      return 0;
    case 'kubeconfig':
      process.stdout.write(`${requireRunning('kube-apiserver').adminKubeconfig}\n`);
      return 0;
    case 'load-image': {
      const archive = args[0];
      if (archive === undefined) {
        process.stderr.write(`cluster: load-image needs the path of an image archive\n\n${USAGE}`);
        return 64;
      }
      importArchive(requireRunning('containerd'), archive);
      log(`imported ${archive} into the node's containerd`);
      return 0;
    }
    case 'trust-registry': {
      const [host, caFile] = args;
      if (host === undefined || caFile === undefined) {
        process.stderr.write(`cluster: trust-registry needs a registry host[:port] and a CA file\n\n${USAGE}`);
        return 64;
      }
      log(`containerd trusts ${host} (${trustRegistry(requireRunning('containerd'), host, caFile)})`);
      return 0;
    }
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`cluster: unknown command "${command}"\n\n${USAGE}`);
      return 64;
  }
}

main(process.argv[2] ?? '', process.argv.slice(3)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (isRicochetError(err)) {
      process.stderr.write(`cluster: ${err.code}: ${err.message}\n`);
    } else {
      process.stderr.write(
        `cluster: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
    }
    process.exitCode = 1;
  },
);
