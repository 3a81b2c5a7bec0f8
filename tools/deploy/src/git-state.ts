import type { Exec } from './exec';

export interface GitState {
  /** The full commit sha: the image tag. */
  readonly sha: string;
  /** Paths with uncommitted changes (tracked or untracked). */
  readonly dirtyFiles: readonly string[];
  /** The tags on the commit, such as v0.2.0 when it is a release (nx run release:version). */
  readonly tags: readonly string[];
}

export function readGitState(exec: Exec, cwd: string): GitState {
  const head = exec('git', ['rev-parse', 'HEAD'], { cwd });
  if (head.status !== 0) throw new Error(`git rev-parse HEAD failed: ${head.stderr.trim() || 'not a git repository?'}`);
  const status = exec('git', ['status', '--porcelain', '--untracked-files=normal'], { cwd });
  if (status.status !== 0) throw new Error(`git status failed: ${status.stderr.trim()}`);
  const dirtyFiles = status.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3));
  const tags = exec('git', ['tag', '--points-at', 'HEAD'], { cwd });
  if (tags.status !== 0) throw new Error(`git tag --points-at HEAD failed: ${tags.stderr.trim()}`);
  return {
    sha: head.stdout.trim(),
    dirtyFiles,
    tags: tags.stdout.split('\n').filter((tag) => tag.trim() !== ''),
  };
}
