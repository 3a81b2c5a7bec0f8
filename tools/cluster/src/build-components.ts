import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createError } from '@ricochet/errors';
import { GO_COMPONENTS, componentModuleDir, requiredVersion, versionLinkFlags, type GoComponent } from './components';
import { ROOT, componentCacheDir } from './layout';
import { runOk } from './run';

export interface BuiltComponent {
  readonly name: string;
  readonly version: string;
  /** The directory holding the component's programs. */
  readonly bin: string;
  /** True when this call built it; false when the cache had it. */
  readonly built: boolean;
}

export type Log = (line: string) => void;

/** Go builds static programs (coredns and metrics-server run in images of one file) for this machine. */
const GO_ENV = { CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' } as const;
const PROGRESS_EVERY_MS = 15_000;

function hash(parts: readonly string[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part).update('\0');
  return digest.digest('hex').slice(0, 12);
}

function elapsed(since: number): string {
  const seconds = Math.round((performance.now() - since) / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Builds into a fresh directory and moves it into place whole, so an interrupted build never looks done. */
async function buildInto(
  dir: string,
  build: (tmp: string) => Promise<void>,
  describe: { name: string; version: string },
  log: Log,
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const started = performance.now();
  try {
    await build(tmp);
    const wallSeconds = Math.round((performance.now() - started) / 100) / 10;
    writeFileSync(join(tmp, 'build.json'), `${JSON.stringify({ ...describe, wallSeconds, builtAt: new Date() })}\n`);
    if (existsSync(dir)) rmSync(tmp, { recursive: true, force: true });
    else renameSync(tmp, dir);
    log(`built ${describe.name} ${describe.version} in ${elapsed(started)} (wall time)`);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** `go build -v` of the programs, with a progress line every 15 s counting the packages compiled. */
function goBuild(component: GoComponent, version: string, out: string, log: Log): Promise<void> {
  const programs = Object.entries(component.programs);
  const ldflags = ['-s', '-w', ...versionLinkFlags(component, version)].join(' ');
  // One program gets its file name from us (Go would call go.etcd.io/etcd/server/v3 "server"); several get theirs
  // from their package paths, which the table then matches.
  const [only] = programs;
  const output = programs.length === 1 && only !== undefined ? join(out, only[0]) : `${out}/`;
  const args = ['build', '-v', '-trimpath', '-ldflags', ldflags, '-o', output, ...programs.map(([, pkg]) => pkg)];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('go', args, {
      cwd: componentModuleDir(component),
      env: { ...process.env, ...GO_ENV },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let compiled = 0;
    let tail: string[] = [];
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = chunk.split('\n').filter(Boolean);
      compiled += lines.filter((line) => !line.includes(' ') && !line.startsWith('#')).length;
      tail = [...tail, ...lines].slice(-20);
    });
    const progress = setInterval(
      () => log(`building ${component.name} ${version}: ${compiled} packages compiled, ${elapsed(started)}`),
      PROGRESS_EVERY_MS,
    );
    child.once('error', (err) => {
      clearInterval(progress);
      reject(createError('UDP_ERR_CLUSTER_BUILD_FAILED', component.name, version, err.message));
    });
    child.once('close', (code) => {
      clearInterval(progress);
      const missing = programs.filter(([name]) => !existsSync(join(out, name))).map(([name]) => name);
      if (code === 0 && missing.length === 0) resolve();
      else if (code === 0) {
        reject(createError('UDP_ERR_CLUSTER_BUILD_FAILED', component.name, version, `no ${missing.join(', ')} built`));
      } else reject(createError('UDP_ERR_CLUSTER_BUILD_FAILED', component.name, version, tail.join('\n')));
    });
  });
}

/** Builds one Go component unless the cache has this exact build. */
export async function ensureGoComponent(component: GoComponent, log: Log): Promise<BuiltComponent> {
  const moduleDir = componentModuleDir(component);
  const goMod = readFileSync(join(moduleDir, 'go.mod'), 'utf8');
  const goSum = readFileSync(join(moduleDir, 'go.sum'), 'utf8');
  const version = requiredVersion(goMod, component.module);
  if (version === undefined) {
    throw createError(
      'UDP_ERR_CLUSTER_BUILD_FAILED',
      component.name,
      'unknown',
      `${moduleDir}/go.mod does not require ${component.module}`,
    );
  }
  const goVersion = runOk('go', ['version']).trim();
  const key = hash([goMod, goSum, goVersion, JSON.stringify(component), JSON.stringify(GO_ENV)]);
  const dir = join(componentCacheDir(), `${component.name}-${version}-${key}`);
  const complete = (): boolean => Object.keys(component.programs).every((program) => existsSync(join(dir, program)));
  if (complete()) return { name: component.name, version, bin: dir, built: false };
  log(`building ${component.name} ${version} from the Go module proxy (${goVersion}); cached in ${dir}`);
  await buildInto(dir, (tmp) => goBuild(component, version, tmp, log), { name: component.name, version }, log);
  return { name: component.name, version, bin: dir, built: true };
}

/** The pause program (tools/cluster/components/pause/pause.c), static, for the pod sandbox image. */
export async function ensurePause(log: Log): Promise<BuiltComponent> {
  const source = join(ROOT, 'tools', 'cluster', 'components', 'pause', 'pause.c');
  const compiler = runOk('gcc', ['--version']).split('\n')[0] ?? '';
  const version = `1-${hash([readFileSync(source, 'utf8'), compiler])}`;
  const dir = join(componentCacheDir(), `pause-${version}`);
  if (existsSync(join(dir, 'pause'))) return { name: 'pause', version, bin: dir, built: false };
  await buildInto(
    dir,
    async (tmp) => {
      runOk('gcc', ['-static', '-O2', '-Wall', '-Werror', '-o', join(tmp, 'pause'), source]);
    },
    { name: 'pause', version },
    log,
  );
  return { name: 'pause', version, bin: dir, built: true };
}

/** Every program the cluster needs, built or taken from the cache, one component at a time (2 cores). */
export async function ensureAllComponents(log: Log): Promise<Readonly<Record<string, BuiltComponent>>> {
  const built: Record<string, BuiltComponent> = {};
  for (const component of GO_COMPONENTS) built[component.name] = await ensureGoComponent(component, log);
  built['pause'] = await ensurePause(log);
  return built;
}
