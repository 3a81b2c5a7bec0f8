import { spawnSync } from 'node:child_process';

/** How to check each program the tests use, and how to get it. A program not listed is run with `--version`. */
const TOOLS: Readonly<Record<string, { readonly versionArgs: readonly string[]; readonly install: string }>> = {
  helm: {
    versionArgs: ['version', '--short'],
    install: 'node tools/workspace/bootstrap.mjs helm, then put .tools/bin on PATH',
  },
  kubectl: {
    versionArgs: ['version', '--client'],
    install: 'node tools/workspace/bootstrap.mjs helm, then put .tools/bin on PATH',
  },
  podman: { versionArgs: ['--version'], install: 'node tools/workspace/bootstrap.mjs apt (as root)' },
  prometheus: {
    versionArgs: ['--version'],
    install: 'node tools/workspace/bootstrap.mjs apt (as root; Debian package prometheus)',
  },
  promtool: {
    versionArgs: ['--version'],
    install: 'node tools/workspace/bootstrap.mjs apt (as root; Debian package prometheus)',
  },
  cc: {
    versionArgs: ['--version'],
    install: 'node tools/workspace/bootstrap.mjs apt (as root; Debian packages gcc, libc6-dev)',
  },
  python3: { versionArgs: ['--version'], install: 'apt-get install python3' },
};

const found = new Map<string, boolean>();

/** Whether `tool` runs here (its version command exits 0). Asked once per process. */
export function onPath(tool: string): boolean {
  let ok = found.get(tool);
  if (ok === undefined) {
    ok = spawnSync(tool, [...(TOOLS[tool]?.versionArgs ?? ['--version'])], { stdio: 'ignore' }).status === 0;
    found.set(tool, ok);
  }
  return ok;
}

/**
 * Whether every one of `tools` runs here, and if not which are missing and how to get them: the two arguments of
 * describeIf and itIf, as in `describeIf(...requireTools('podman', 'helm'))('the image', …)`.
 */
export function requireTools(...tools: readonly string[]): [canRun: boolean, whyNot: string] {
  const missing = tools.filter((tool) => !onPath(tool));
  const how = missing.map((tool) => `${tool} (${TOOLS[tool]?.install ?? 'install it and put it on PATH'})`);
  return [missing.length === 0, `not installed: ${how.join(', ')}`];
}
