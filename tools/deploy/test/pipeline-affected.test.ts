import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// "Only rebuild what changed", shown rather than claimed: for a change in one place, ask Nx which tasks the
// pipeline's steps would run, and prove that an unchanged run is served from the cache.

const root = join(__dirname, '..', '..', '..');
const nx = join(root, 'node_modules', '.bin', 'nx');
const PIPELINE_TARGETS = ['lint', 'fmt-check', 'typecheck', 'test', 'validate', 'docker'];

function nxRun(args: string[]) {
  const result = spawnSync(nx, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
  if (result.status !== 0) throw new Error(`nx ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The tasks `nx affected -t <pipeline targets>` would run if only `files` had changed. */
function affectedTasks(...files: string[]): string[] {
  const graph = JSON.parse(
    nxRun(['affected', '-t', ...PIPELINE_TARGETS, `--files=${files.join(',')}`, '--graph=stdout']),
  ) as {
    tasks: { tasks: Record<string, unknown> };
  };
  return Object.keys(graph.tasks.tasks).sort();
}

/** The projects `nx affected` would consider changed if only `files` had changed. */
function affectedProjects(...files: string[]): string[] {
  return (
    JSON.parse(nxRun(['show', 'projects', '--affected', `--files=${files.join(',')}`, '--json'])) as string[]
  ).sort();
}

/** Tasks that check something (not the builds they depend on, which come from the cache when unchanged). */
const checks = (tasks: string[]): string[] => tasks.filter((t) => !t.endsWith(':build'));

describe('what the pipeline re-runs for a change', () => {
  it("a change in libs/protocol re-runs both apps' tests and the image, and no chart or Terraform work", () => {
    const tasks = affectedTasks('libs/protocol/src/header.ts');
    expect(tasks).toEqual(
      expect.arrayContaining([
        'protocol:test',
        'udp-server:test',
        'health-probe:test',
        'udp-server-e2e:test',
        'udp-server-cluster-e2e:test',
        'udp-server:docker',
      ]),
    );
    // The chart's tests check its ConfigMap against the server's settings table (libs/config, which reads the
    // protocol's sizes), so they re-run; the chart's packaging and Terraform do not.
    expect(tasks.filter((t) => t.startsWith('helm:') || t.startsWith('terraform:'))).toEqual([
      'helm:helm-lint',
      'helm:lint',
      'helm:test',
      'helm:typecheck',
    ]);
  });

  it("a change only in helm/ re-runs only chart work, not the server's tests", () => {
    // Chart work: the chart's own checks, Terraform's mapping onto the chart's values, the image/chart fit test and
    // the chart on a real cluster.
    expect(affectedProjects('helm/udp-server/values.yaml')).toEqual([
      'helm',
      'terraform',
      'udp-server-cluster-e2e',
      'udp-server-container-e2e',
    ]);
    const tasks = checks(affectedTasks('helm/udp-server/values.yaml'));
    expect(tasks).toEqual(expect.arrayContaining(['helm:lint', 'helm:test', 'udp-server-container-e2e:test']));
    for (const serverTest of ['udp-server:test', 'health-probe:test', 'udp-server-e2e:test', 'protocol:test']) {
      expect(tasks).not.toContain(serverTest);
    }
  });

  it("a change only in terraform/ re-runs Terraform's checks and the cluster test that applies it, nothing else", () => {
    expect(affectedProjects('terraform/modules/udp-server-release/main.tf')).toEqual([
      'terraform',
      'udp-server-cluster-e2e',
    ]);
    const tasks = checks(affectedTasks('terraform/modules/udp-server-release/main.tf'));
    // Other projects' typecheck tasks come along as the cluster test's dependencies; no other test re-runs.
    expect(tasks.filter((t) => t.endsWith(':test') && !t.startsWith('terraform:'))).toEqual([
      'udp-server-cluster-e2e:test',
    ]);
    expect(tasks).toEqual(expect.arrayContaining(['terraform:fmt-check', 'terraform:validate', 'terraform:test']));
  });

  it('a change only in docs re-runs nothing', () => {
    expect(affectedTasks('docs/observability.md')).toEqual([]);
  });

  it('a second run with no change is served entirely from the cache', () => {
    const args = ['run-many', '-t', 'lint', 'typecheck', '-p', 'protocol', 'config', '--output-style=static'];
    nxRun(args);
    const second = nxRun(args);
    expect(second).toMatch(
      /Nx read the output from the cache instead of running the command for (\d+) out of \1 tasks/,
    );
  });
});
