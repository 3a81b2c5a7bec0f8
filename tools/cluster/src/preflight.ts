import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createError } from '@ricochet/errors';
import { installed } from './run';

/** Programs `up` runs, and the Debian package each comes from. */
const REQUIRED_PROGRAMS: readonly (readonly [program: string, args: readonly string[], debianPackage: string])[] = [
  ['containerd', ['--version'], 'containerd'],
  ['ctr', ['--version'], 'containerd'],
  ['runc', ['--version'], 'runc'],
  ['iptables', ['--version'], 'iptables'],
  ['ip6tables', ['--version'], 'iptables'],
  ['ip', ['-V'], 'iproute2'],
  ['conntrack', ['--version'], 'conntrack'],
  ['openssl', ['version'], 'openssl'],
  ['gcc', ['--version'], 'gcc'],
  ['go', ['version'], 'golang (Go 1.25 or newer)'],
  ['podman', ['--version'], 'podman'],
];
const CNI_PLUGINS = ['bridge', 'host-local', 'loopback'];

/** Checks that `up` can work here before it changes anything: root, and every program it runs. */
export function preflight(cniBinDir: string): void {
  if (process.getuid?.() !== 0) throw createError('UDP_ERR_CLUSTER_NOT_ROOT');
  for (const [program, args, debianPackage] of REQUIRED_PROGRAMS) {
    if (!installed(program, args)) throw createError('UDP_ERR_CLUSTER_TOOL_MISSING', program, debianPackage);
  }
  for (const plugin of CNI_PLUGINS) {
    if (!existsSync(join(cniBinDir, plugin))) {
      throw createError('UDP_ERR_CLUSTER_TOOL_MISSING', join(cniBinDir, plugin), 'containernetworking-plugins');
    }
  }
}
