import { existsSync, mkdtempSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltComponent } from './build-components';
import type { StatePaths } from './layout';
import { run, runOk } from './run';

/**
 * Images for the cluster's own pods (the sandbox, DNS, metrics-server), made from one static program each: no
 * registry is needed, and none is reachable here. Built with podman FROM scratch, saved once as an archive next to
 * the program in the component cache, and imported into the node's containerd.
 */
export interface AddonImage {
  /** The reference pods use; `localhost/…` so nothing ever resolves it against Docker Hub. */
  readonly ref: string;
  readonly component: string;
  readonly program: string;
  readonly args?: readonly string[];
}

export function addonImages(versions: Readonly<Record<string, BuiltComponent>>): readonly AddonImage[] {
  const tag = (name: string): string => versions[name]?.version ?? 'unknown';
  return [
    { ref: 'localhost/ricochet-cluster/pause:1', component: 'pause', program: 'pause' },
    { ref: `localhost/ricochet-cluster/coredns:${tag('coredns')}`, component: 'coredns', program: 'coredns' },
    {
      ref: `localhost/ricochet-cluster/metrics-server:${tag('metrics-server')}`,
      component: 'metrics-server',
      program: 'metrics-server',
    },
  ];
}

const PODMAN_ENV = (root: string): NodeJS.ProcessEnv => ({
  ...process.env,
  CONTAINERS_CONF: process.env['CONTAINERS_CONF'] ?? join(root, 'tools', 'containers.conf'),
});

/** The image's archive (docker-archive, which ctr imports under its full name), built when missing. */
export function ensureImageArchive(image: AddonImage, component: BuiltComponent, root: string): string {
  const archive = join(component.bin, `${component.name}-image.tar`);
  if (existsSync(archive)) return archive;
  const context = mkdtempSync(join(tmpdir(), 'ricochet-cluster-image-'));
  const env = PODMAN_ENV(root);
  try {
    copyFileSync(join(component.bin, image.program), join(context, image.program));
    writeFileSync(
      join(context, 'Containerfile'),
      [
        'FROM scratch',
        `COPY ${image.program} /${image.program}`,
        // Non-root like every pod here; the pause container needs nothing more.
        'USER 65532:65532',
        `ENTRYPOINT ${JSON.stringify([`/${image.program}`, ...(image.args ?? [])])}`,
        '',
      ].join('\n'),
    );
    runOk('podman', ['build', '--network', 'none', '--quiet', '-t', image.ref, context], { env });
    runOk('podman', ['save', '--format', 'docker-archive', '-o', `${archive}.tmp`, image.ref], { env });
    runOk('mv', [`${archive}.tmp`, archive]);
  } finally {
    run('podman', ['rmi', '--force', image.ref], { env });
    rmSync(context, { recursive: true, force: true });
  }
  return archive;
}

/** ctr against the node's containerd, in the namespace the CRI uses. */
export function ctr(paths: StatePaths, args: readonly string[]): string {
  return runOk('ctr', ['--address', paths.containerdSocket, '--namespace', 'k8s.io', ...args], { timeoutMs: 300_000 });
}

export function imagePresent(paths: StatePaths, ref: string): boolean {
  return ctr(paths, ['images', 'list', '--quiet']).split('\n').includes(ref);
}

export function importArchive(paths: StatePaths, archive: string): void {
  ctr(paths, ['images', 'import', archive]);
}
