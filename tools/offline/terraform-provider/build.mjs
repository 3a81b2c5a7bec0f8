#!/usr/bin/env node
// Builds the hashicorp/helm Terraform provider from the Go module proxy and installs it as a Terraform plugin
// directory (the layout `terraform init -plugin-dir` and a filesystem_mirror read), for machines that cannot reach
// registry.terraform.io. Prints that directory on stdout: RICOCHET_TERRAFORM_PLUGIN_DIR. See README.md.
//
//   node tools/offline/terraform-provider/build.mjs        (normally: nx run terraform-provider:build)
//
// The version it is installed as is the env roots' exact pin (terraform/envs/*/versions.tf), said once there; the
// source is the module go.mod here requires. The build is cached machine-wide, keyed by go.mod, go.sum, the Go
// version and that pin: ${RICOCHET_TERRAFORM_PLUGIN_CACHE:-~/.cache/ricochet/terraform-providers}.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
const PROVIDER = 'registry.terraform.io/hashicorp/helm';
const PACKAGE = 'github.com/hashicorp/terraform-provider-helm';
const ENV_ROOTS = ['staging', 'production'].map((env) => join(ROOT, 'terraform', 'envs', env, 'versions.tf'));
const PROGRESS_EVERY_MS = 15_000;

const log = (line) => process.stderr.write(`[terraform-provider] ${line}\n`);

/** The exact hashicorp/helm version the env roots pin; they must agree. */
export function pinnedVersion(files = ENV_ROOTS) {
  const versions = files.map((file) => {
    const block = /helm\s*=\s*\{[^}]*\}/.exec(readFileSync(file, 'utf8'))?.[0] ?? '';
    const version = /version\s*=\s*"([^"]+)"/.exec(block)?.[1];
    if (!version || !/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`${file} pins no exact hashicorp/helm version`);
    return version;
  });
  if (new Set(versions).size !== 1)
    throw new Error(`the env roots pin different helm providers: ${versions.join(', ')}`);
  return versions[0];
}

export function pluginCache(env = process.env) {
  return resolve(
    env.RICOCHET_TERRAFORM_PLUGIN_CACHE ??
      join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ricochet', 'terraform-providers'),
  );
}

function goPlatform() {
  const out = spawnSync('go', ['env', 'GOOS', 'GOARCH'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`go is not installed or does not run: ${out.error?.message ?? out.stderr}`);
  return out.stdout.trim().split('\n').join('_');
}

/** go build -v, with a line every 15 s counting the packages compiled (a cold build takes minutes). */
function goBuild(output, version) {
  return new Promise((resolvePromise, reject) => {
    const args = ['build', '-v', '-trimpath', '-ldflags', `-s -w -X main.Version=${version}`, '-o', output, PACKAGE];
    const child = spawn('go', args, {
      cwd: HERE,
      env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const started = performance.now();
    let compiled = 0;
    let tail = [];
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      const lines = chunk.split('\n').filter(Boolean);
      compiled += lines.filter((line) => !line.includes(' ') && !line.startsWith('#')).length;
      tail = [...tail, ...lines].slice(-20);
    });
    const progress = setInterval(
      () => log(`${compiled} packages compiled, ${Math.round((performance.now() - started) / 1000)} s`),
      PROGRESS_EVERY_MS,
    );
    child.once('error', (err) => {
      clearInterval(progress);
      reject(err);
    });
    child.once('close', (code) => {
      clearInterval(progress);
      if (code === 0) resolvePromise();
      else reject(new Error(`go build failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
}

/** Builds unless the cache holds this exact build; returns the plugin directory. */
export async function ensureProvider(env = process.env) {
  const version = pinnedVersion();
  const platform = goPlatform();
  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' }).stdout.trim();
  const key = createHash('sha256')
    .update([readFileSync(join(HERE, 'go.mod')), readFileSync(join(HERE, 'go.sum')), goVersion, version].join('\0'))
    .digest('hex')
    .slice(0, 12);
  const pluginDir = pluginCache(env);
  const dir = join(pluginDir, PROVIDER, version, platform);
  const binary = join(dir, `terraform-provider-helm_v${version}`);
  const stamp = join(pluginDir, `.helm-${version}-${platform}.json`);
  const cached = existsSync(binary) && existsSync(stamp) && JSON.parse(readFileSync(stamp, 'utf8')).key === key;
  if (cached) return pluginDir;

  log(
    `building hashicorp/helm ${version} for ${platform} from the Go module proxy (${goVersion}); cached in ${pluginDir}`,
  );
  const started = performance.now();
  mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.tmp-${process.pid}`;
  try {
    await goBuild(tmp, version);
    renameSync(tmp, binary);
  } finally {
    rmSync(tmp, { force: true });
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  writeFileSync(stamp, `${JSON.stringify({ key, version, platform, goVersion, seconds, builtAt: new Date() })}\n`);
  log(`built in ${seconds} s (wall time)`);
  return pluginDir;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    process.stdout.write(`${await ensureProvider()}\n`);
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
