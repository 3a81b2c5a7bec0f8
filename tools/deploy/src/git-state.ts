import type { Exec } from './exec';

export interface GitState {
  /** The full commit sha: the image tag. */
  readonly sha: string;
  /** Paths with uncommitted changes (tracked or untracked). */
  readonly dirtyFiles: readonly string[];
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
  return { sha: head.stdout.trim(), dirtyFiles };
}
