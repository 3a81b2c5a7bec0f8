import { run } from './run';

/**
 * The iptables chains the cluster adds and how to take exactly those away. The kubelet and kube-proxy name theirs
 * KUBE-*; the CNI bridge plugin adds one CNI-<hash> masquerade chain per pod, tagged with the network's name in a
 * comment. Chains that existed before `up` are never touched, nor are other CNI users' (podman's) chains.
 */
export const FAMILIES = ['iptables', 'ip6tables'] as const;
export const TABLES = ['filter', 'nat', 'mangle', 'raw'] as const;

export type Family = (typeof FAMILIES)[number];
export type ChainSnapshot = Readonly<Record<string, readonly string[]>>;

const key = (family: Family, table: string): string => `${family}/${table}`;

export function listRules(family: Family, table: string): string[] {
  const result = run(family, ['-w', '5', '-t', table, '-S']);
  return result.status === 0 ? result.stdout.split('\n').filter(Boolean) : [];
}

/** Chain names per family and table: what `up` records before it starts anything. */
export function snapshotChains(): ChainSnapshot {
  const snapshot: Record<string, string[]> = {};
  for (const family of FAMILIES) {
    for (const table of TABLES) {
      snapshot[key(family, table)] = listRules(family, table)
        .filter((line) => line.startsWith('-N '))
        .map((line) => line.slice(3).trim());
    }
  }
  return snapshot;
}

/**
 * The chains of `rules` (one table's `iptables -S`) that the cluster made: KUBE-* not present before, and CNI-*
 * chains that a rule tagged with our network's name jumps to.
 */
export function clusterChains(rules: readonly string[], before: readonly string[], networkName: string): string[] {
  const chains = rules.filter((line) => line.startsWith('-N ')).map((line) => line.slice(3).trim());
  const tag = `name: \\"${networkName}\\"`;
  const cniOfOurs = new Set(
    rules
      .filter((line) => line.includes(tag))
      .map((line) => / -j (CNI-\S+)/.exec(line)?.[1])
      .filter((chain): chain is string => chain !== undefined),
  );
  return chains.filter((chain) => !before.includes(chain) && (chain.startsWith('KUBE-') || cniOfOurs.has(chain)));
}

/**
 * An iptables-restore script (applied with --noflush) that deletes every rule jumping to `chains` from other
 * chains, then flushes and deletes the chains. iptables-restore parses the rules' own quoting.
 */
export function removalScript(table: string, rules: readonly string[], chains: readonly string[]): string {
  const ours = new Set(chains);
  const jumps = rules.filter((line) => {
    if (!line.startsWith('-A ')) return false;
    const owner = line.split(' ')[1] ?? '';
    const target = / -[jg] (\S+)/.exec(line)?.[1];
    return !ours.has(owner) && target !== undefined && ours.has(target);
  });
  return [
    `*${table}`,
    ...jumps.map((line) => `-D ${line.slice(3)}`),
    ...chains.map((chain) => `-F ${chain}`),
    ...chains.map((chain) => `-X ${chain}`),
    'COMMIT',
    '',
  ].join('\n');
}

/** Removes the cluster's chains from every table; returns the chains removed, as family/table/chain. */
export function removeClusterChains(before: ChainSnapshot, networkName: string): string[] {
  const removed: string[] = [];
  for (const family of FAMILIES) {
    for (const table of TABLES) {
      const rules = listRules(family, table);
      const chains = clusterChains(rules, before[key(family, table)] ?? [], networkName);
      if (chains.length === 0) continue;
      const result = run(`${family}-restore`, ['-w', '5', '--noflush'], { input: removalScript(table, rules, chains) });
      if (result.status !== 0) {
        throw new Error(`${family}-restore could not remove ${chains.join(', ')} from ${table}: ${result.stderr}`);
      }
      removed.push(...chains.map((chain) => `${family}/${table}/${chain}`));
    }
  }
  return removed;
}

/** The cluster's chains still present (what `down` must leave at zero). */
export function leftoverChains(before: ChainSnapshot, networkName: string): string[] {
  return FAMILIES.flatMap((family) =>
    TABLES.flatMap((table) =>
      clusterChains(listRules(family, table), before[key(family, table)] ?? [], networkName).map(
        (chain) => `${family}/${table}/${chain}`,
      ),
    ),
  );
}

/** nftables tables as `family name` (iptables-nft makes `ip filter`, `ip nat`… the first time a rule is added). */
export function listNftTables(): string[] {
  const result = run('nft', ['list', 'tables']);
  if (result.status !== 0) return [];
  return result.stdout
    .split('\n')
    .map((line) => line.replace(/^table /, '').trim())
    .filter(Boolean);
}

/** Whether an nftables table holds no rule (only the empty base chains iptables-nft made). */
function tableIsEmpty(table: string): boolean {
  const result = run('nft', ['list', 'table', ...table.split(' ')]);
  if (result.status !== 0) return false;
  const body = result.stdout.split('\n').map((line) => line.trim());
  const ruleLines = body.filter(
    (line) => line !== '' && !/^(table |chain |type |policy |}|{)/.test(line) && !line.endsWith('{'),
  );
  return ruleLines.length === 0;
}

/** Deletes tables that appeared after `before` and hold nothing; a table with anyone's rules stays. */
export function removeNewEmptyNftTables(before: readonly string[]): string[] {
  const removed: string[] = [];
  for (const table of listNftTables()) {
    if (before.includes(table) || !tableIsEmpty(table)) continue;
    if (run('nft', ['delete', 'table', ...table.split(' ')]).status === 0) removed.push(table);
  }
  return removed;
}
