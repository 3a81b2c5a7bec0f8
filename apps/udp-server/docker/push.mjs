// Pushing what build-image.mjs built, and learning the digests the registry stored: for one image, the digest a
// deployment pins; for a multi-arch image, the index's digest (what a deployment pins) and each platform's.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, run, runOrThrow, splitReference } from './engine.mjs';

/** A scratch directory for digest files and a --cert-dir holding the registry's CA; removed after `use`. */
function withWorkDir(caFile, use) {
  const work = mkdtempSync(join(tmpdir(), 'ricochet-push-'));
  try {
    const certArgs = [];
    if (caFile) {
      mkdirSync(join(work, 'certs'));
      copyFileSync(caFile, join(work, 'certs', 'ca.crt'));
      certArgs.push('--cert-dir', join(work, 'certs'));
    }
    return use(work, certArgs);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const seconds = (started) => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/**
 * Pushes `image` and returns the manifest digest the registry stored. podman writes it to --digestfile and takes
 * a private CA through --cert-dir; docker reads its CAs from /etc/docker/certs.d and reports the digest among the
 * image's RepoDigests.
 */
export function pushImage(engine, image, caFile) {
  log(`pushing ${image}`);
  const started = performance.now();
  if (engine === 'podman') {
    return withWorkDir(caFile, (work, certArgs) => {
      const args = ['push', '--digestfile', join(work, 'digest'), ...certArgs, image];
      runOrThrow(engine, args, `pushing ${image}`, { stdio: ['ignore', 2, 'pipe'] });
      const digest = readFileSync(join(work, 'digest'), 'utf8').trim();
      log(`pushed ${image}: ${digest} in ${seconds(started)}`);
      return digest;
    });
  }
  if (caFile) log(`docker reads registry CAs from /etc/docker/certs.d/<host>/ca.crt, not ${caFile}`);
  runOrThrow(engine, ['push', image], `pushing ${image}`, { stdio: ['ignore', 2, 'pipe'] });
  const { repository } = splitReference(image);
  const digests = JSON.parse(runOrThrow(engine, ['image', 'inspect', '--format', '{{json .RepoDigests}}', image]));
  const found = digests.find((ref) => ref.startsWith(`${repository}@`));
  if (!found) throw new Error(`docker pushed ${image} but lists no digest for ${repository}`);
  return found.slice(repository.length + 1);
}

/** Whether skopeo, which reads the pushed index back, is installed. */
export const canReadIndexes = () => run('skopeo', ['--version']).status === 0;

/**
 * Pushes the manifest list `image` with every image in it, as an OCI index, and returns { digest, platforms }: the
 * index's digest and, per platform (os/arch[/variant]), the digest of that platform's manifest. Those are read
 * back from the registry (skopeo, with podman's credentials and the same CA): the registry stores each image
 * compressed, so its digests are not the local ones.
 */
export function pushIndex(image, caFile) {
  log(`pushing ${image} (manifest list and its images)`);
  const started = performance.now();
  return withWorkDir(caFile, (work, certArgs) => {
    const args = ['manifest', 'push', '--all', '--format', 'oci', '--digestfile', join(work, 'digest'), ...certArgs];
    runOrThrow('podman', [...args, image, `docker://${image}`], `pushing ${image}`, { stdio: ['ignore', 2, 'pipe'] });
    const digest = readFileSync(join(work, 'digest'), 'utf8').trim();
    const stored = `${splitReference(image).repository}@${digest}`;
    const raw = runOrThrow('skopeo', ['inspect', '--raw', ...certArgs, `docker://${stored}`], `reading ${stored} back`);
    const actual = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    if (actual !== digest) throw new Error(`the registry answered ${stored} with bytes whose digest is ${actual}`);
    const index = JSON.parse(raw);
    const platforms = {};
    for (const entry of index.manifests ?? []) {
      const { os, architecture, variant } = entry.platform ?? {};
      platforms[[os, architecture, variant].filter(Boolean).join('/')] = entry.digest;
    }
    log(`pushed ${image}: index ${digest} (${Object.keys(platforms).join(', ')}) in ${seconds(started)}`);
    return { digest, mediaType: index.mediaType, platforms };
  });
}
