// Lets this machine run arm64 (aarch64) programs, in containers too, with qemu-user-static: the kernel's
// binfmt_misc hands every aarch64 ELF file to qemu. Debian's package only ships the rule
// (/usr/lib/binfmt.d/qemu-aarch64.conf); without systemd nothing registers it. So the test registers it itself,
// with the F flag (the kernel opens qemu at registration, so containers need no qemu of their own), and when the
// test file ends removes exactly what it added: its own entry, and binfmt_misc's mount if it mounted it. A handler
// already registered (by systemd-binfmt, binfmt-support or anyone) is used as it is and left alone.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deferCleanup, runOk } from '@ricochet/testing';

const BINFMT = '/proc/sys/fs/binfmt_misc';
/** The rule qemu-user-static ships: `:name:type:offset:magic:mask:interpreter:flags`, binfmt_misc's own format. */
export const QEMU_AARCH64_RULE = '/usr/lib/binfmt.d/qemu-aarch64.conf';
/** Our entries are named <prefix><pid>: one left by a killed run is recognised by its dead pid and removed. */
const PREFIX = 'ricochet-qemu-aarch64-';

interface Rule {
  readonly type: string;
  readonly offset: string;
  readonly magic: string;
  readonly mask: string;
  readonly interpreter: string;
  readonly flags: string;
}

/** binfmt_misc's escaped bytes (`\x7fELF…`) as the lowercase hex its entries show. */
const toHex = (escaped: string): string =>
  escaped.replace(/\\x([0-9a-fA-F]{2})|([\s\S])/g, (_, hex?: string, char?: string) =>
    hex !== undefined ? hex.toLowerCase() : char!.charCodeAt(0).toString(16).padStart(2, '0'),
  );

function readRule(): Rule {
  const line = readFileSync(QEMU_AARCH64_RULE, 'utf8')
    .split('\n')
    .find((text) => text.startsWith(':'));
  const fields = line?.split(':') ?? [];
  if (fields.length !== 8) throw new Error(`${QEMU_AARCH64_RULE} holds no binfmt_misc rule: ${line ?? '(empty)'}`);
  const [, , type, offset, magic, mask, interpreter, flags] = fields as [string, string, ...string[]];
  return { type: type!, offset: offset!, magic: magic!, mask: mask!, interpreter: interpreter!, flags: flags! };
}

interface Entry {
  readonly name: string;
  readonly enabled: boolean;
  readonly flags: string;
  readonly magic: string;
  readonly mask: string;
}

function entries(): Entry[] {
  return readdirSync(BINFMT)
    .filter((name) => name !== 'register' && name !== 'status')
    .map((name) => {
      const text = readFileSync(join(BINFMT, name), 'utf8');
      const field = (key: string): string => new RegExp(`^${key}:? (\\S*)$`, 'm').exec(text)?.[1] ?? '';
      return {
        name,
        enabled: /^enabled$/m.test(text),
        flags: field('flags'),
        magic: field('magic'),
        mask: field('mask'),
      };
    });
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes an entry by name; gone already is fine. */
function unregister(name: string): void {
  if (existsSync(join(BINFMT, name))) writeFileSync(join(BINFMT, name), '-1');
}

export interface Emulation {
  /** The binfmt_misc entry that runs aarch64 programs. */
  readonly handler: string;
  readonly registeredHere: boolean;
  readonly mountedHere: boolean;
}

/** Makes sure an aarch64 handler usable from containers is registered (see above); needs root. */
export async function ensureAarch64Emulation(): Promise<Emulation> {
  let mountedHere = false;
  if (!existsSync(join(BINFMT, 'register'))) {
    await runOk('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT]);
    mountedHere = true;
    // Unmounted only if nothing else was registered while it was mounted.
    deferCleanup(async () => void (entries().length === 0 && (await runOk('umount', [BINFMT]))));
  }
  if (readFileSync(join(BINFMT, 'status'), 'utf8').trim() !== 'enabled') {
    throw new Error(`binfmt_misc is disabled on this machine (${BINFMT}/status); enable it: echo 1 > ${BINFMT}/status`);
  }
  for (const entry of entries()) {
    const pid = entry.name.startsWith(PREFIX) ? Number(entry.name.slice(PREFIX.length)) : NaN;
    if (Number.isInteger(pid) && !isRunning(pid)) unregister(entry.name);
  }

  const rule = readRule();
  const existing = entries().find(
    (entry) =>
      entry.enabled &&
      entry.magic === toHex(rule.magic) &&
      entry.mask === toHex(rule.mask) &&
      entry.flags.includes('F'),
  );
  if (existing) return { handler: existing.name, registeredHere: false, mountedHere };

  // Registered last, it is the one the kernel picks for aarch64 while it exists (newest entries are tried first).
  const name = `${PREFIX}${process.pid}`;
  const flags = rule.flags.includes('F') ? rule.flags : `${rule.flags}F`;
  const { type, offset, magic, mask, interpreter } = rule;
  deferCleanup(
    () => unregister(name),
    () => unregister(name),
  );
  writeFileSync(join(BINFMT, 'register'), `:${name}:${type}:${offset}:${magic}:${mask}:${interpreter}:${flags}`);
  return { handler: name, registeredHere: true, mountedHere };
}
