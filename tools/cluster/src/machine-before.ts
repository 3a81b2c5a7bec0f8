import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { kubeletCgroups, listNetns, listShimSockets } from './host';
import { readKernelSettings, type KernelSettings } from './kernel-settings';
import type { StatePaths } from './layout';
import { listNftTables, snapshotChains, type ChainSnapshot } from './netfilter';

/**
 * The machine as it was before the first `up`: what `down` restores (kernel settings) and what it must leave
 * alone (chains, network namespaces and cgroups that were already there). Written once; a second `up` keeps it.
 */
export interface MachineBefore {
  readonly kernel: KernelSettings;
  readonly chains: ChainSnapshot;
  readonly netns: readonly string[];
  readonly kubeletCgroups: readonly string[];
  readonly nftTables: readonly string[];
  /** Entries of containerd's fixed shim-socket directory, which containerd 1.6 uses whatever its state dir. */
  readonly shimSockets: readonly string[];
  readonly recordedAt: string;
}

export function recordMachineBefore(paths: StatePaths): MachineBefore {
  const existing = readMachineBefore(paths);
  if (existing !== undefined) return existing;
  const before: MachineBefore = {
    kernel: readKernelSettings(),
    chains: snapshotChains(),
    netns: listNetns(),
    kubeletCgroups: kubeletCgroups(),
    nftTables: listNftTables(),
    shimSockets: listShimSockets(),
    recordedAt: new Date().toISOString(),
  };
  writeFileSync(paths.before, `${JSON.stringify(before, null, 2)}\n`);
  return before;
}

export function readMachineBefore(paths: StatePaths): MachineBefore | undefined {
  if (!existsSync(paths.before)) return undefined;
  return JSON.parse(readFileSync(paths.before, 'utf8')) as MachineBefore;
}
