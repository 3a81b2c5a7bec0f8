import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Kernel settings the cluster changes. The kubelet rewrites the first three at start (it wants the kernel to
 * overcommit and to reboot on a panic); kube-proxy turns on route_localnet so NodePorts answer on 127.0.0.1; the
 * node must forward between the bridge and the host. `up` records them before anything starts and `down` puts
 * them back.
 */
export const RECORDED_SETTINGS = [
  'vm.overcommit_memory',
  'kernel.panic',
  'kernel.panic_on_oops',
  'kernel.keys.root_maxkeys',
  'kernel.keys.root_maxbytes',
  'net.ipv4.ip_forward',
  'net.ipv4.conf.all.route_localnet',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
  'net.netfilter.nf_conntrack_max',
] as const;

export type KernelSettings = Readonly<Record<string, string>>;

function procPath(setting: string): string {
  return `/proc/sys/${setting.replaceAll('.', '/')}`;
}

export function readSetting(setting: string): string | undefined {
  const path = procPath(setting);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

export function writeSetting(setting: string, value: string): void {
  writeFileSync(procPath(setting), `${value}\n`);
}

/** The current value of every recorded setting this kernel has. */
export function readKernelSettings(): KernelSettings {
  const settings: Record<string, string> = {};
  for (const setting of RECORDED_SETTINGS) {
    const value = readSetting(setting);
    if (value !== undefined) settings[setting] = value;
  }
  return settings;
}

/** Writes back every recorded value that differs now; returns what it changed, as `name: now → before`. */
export function restoreKernelSettings(before: KernelSettings): string[] {
  const changed: string[] = [];
  for (const [setting, value] of Object.entries(before)) {
    const now = readSetting(setting);
    if (now === undefined || now === value) continue;
    writeSetting(setting, value);
    changed.push(`${setting}: ${now} → ${value}`);
  }
  return changed;
}
