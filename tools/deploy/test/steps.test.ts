import { formatCommand } from '../src/exec';
import { terraformSettings } from '../src/settings';
import { localImageRepository, localSteps, terraformSteps } from '../src/steps';

const sha = '0123456789abcdef0123456789abcdef01234567';

describe('terraform steps', () => {
  const release = {
    chartRepository: 'oci://registry.example.com/charts',
    chartVersion: '0.2.0-g0123456789ab',
    commit: sha,
    imageRepository: 'registry.example.com/udp-server',
    imageDigest: `sha256:${'d'.repeat(64)}`,
  };

  it('init from the plugin directory, plan the published chart and image to a plan file, then apply exactly that file', () => {
    const steps = terraformSteps({
      environment: 'staging',
      release,
      terraform: terraformSettings('staging', '/w', {
        RICOCHET_TERRAFORM_DIR: '/tf',
        RICOCHET_TERRAFORM_PLUGIN_DIR: '/plugins',
      }),
      kubeconfig: '/home/me/.kube/config',
      kubeContext: 'staging-admin',
      rolloutTimeoutSeconds: 90,
    });
    expect(steps.map((s) => formatCommand(s.command))).toEqual([
      'terraform -chdir=terraform/envs/staging init -input=false -plugin-dir=/plugins ' +
        '-backend-config=path=/tf/staging/terraform.tfstate',
      'terraform -chdir=terraform/envs/staging plan -input=false -detailed-exitcode ' +
        '-out=/tf/staging/data/staging-0123456789ab.tfplan -var image_repository=registry.example.com/udp-server ' +
        `-var image_tag=${sha} -var image_digest=sha256:${'d'.repeat(64)} ` +
        '-var chart_repository=oci://registry.example.com/charts -var chart_version=0.2.0-g0123456789ab ' +
        '-var kubeconfig_path=/home/me/.kube/config -var kube_context=staging-admin -var rollout_timeout_seconds=90',
      'terraform -chdir=terraform/envs/staging apply -input=false /tf/staging/data/staging-0123456789ab.tfplan',
    ]);
    expect(steps.every((s) => s.why.length > 0)).toBe(true);
    expect(steps[1]).toMatchObject({ successStatuses: [0, 2], noChanges: 0 });
    expect(steps[2]).toMatchObject({ onlyWithChanges: true });
  });

  it('leaves the provider to the registry, the state to backend.tf and the context to the kubeconfig by default', () => {
    const [init, plan] = terraformSteps({
      environment: 'production',
      release,
      terraform: terraformSettings('production', '/w', {}),
      kubeconfig: 'k',
      kubeContext: undefined,
      rolloutTimeoutSeconds: undefined,
    });
    expect(formatCommand(init!.command)).toBe('terraform -chdir=terraform/envs/production init -input=false');
    expect(plan!.command.join(' ')).not.toMatch(/kube_context|rollout_timeout_seconds/);
    expect(plan!.command).toContain('-out=/w/tmp/terraform-deploy/production/data/production-0123456789ab.tfplan');
  });
});

describe('local steps', () => {
  const base = {
    clusterName: 'ricochet',
    engine: 'podman' as const,
    imageRepository: 'udp-server',
    imageTag: sha,
    archive: '/w/tmp/deploy/x.tar',
  };

  it('kind: save the image, load the archive into the cluster, install the chart with local values, run helm test', () => {
    const steps = localSteps({ ...base, cluster: 'kind', kubeContext: 'kind-ricochet' });
    expect(steps.map((s) => formatCommand(s.command))).toEqual([
      `podman save -o /w/tmp/deploy/x.tar localhost/udp-server:${sha}`,
      'kind load image-archive /w/tmp/deploy/x.tar --name ricochet',
      'helm upgrade --install udp-server helm/udp-server --kube-context kind-ricochet --namespace ricochet ' +
        '--create-namespace -f helm/udp-server/values-local.yaml --set image.registry=localhost ' +
        '--set image.repository=udp-server ' +
        `--set image.tag=${sha} ` +
        '--wait=watcher --timeout 3m --rollback-on-failure',
      'helm test udp-server --kube-context kind-ricochet --namespace ricochet --timeout 2m',
    ]);
  });

  it('minikube: load the archive with minikube image load', () => {
    const steps = localSteps({ ...base, cluster: 'minikube', kubeContext: 'minikube' });
    expect(formatCommand(steps[1]!.command)).toBe('minikube image load /w/tmp/deploy/x.tar');
  });
});

describe('formatCommand', () => {
  it('quotes words a shell would split', () => {
    expect(formatCommand(['echo', 'a b', "it's"], { X: '1' })).toBe(`X=1 echo 'a b' 'it'\\''s'`);
  });
});

describe('the ricochet cluster', () => {
  it('imports the archive with the cluster tool and installs with its own kubeconfig and context', () => {
    const steps = localSteps({
      cluster: 'ricochet',
      clusterName: 'ricochet',
      engine: 'podman',
      imageRepository: 'udp-server',
      imageTag: sha,
      kubeContext: 'ricochet',
      kubeconfig: '/var/lib/ricochet-cluster/admin.kubeconfig',
      archive: '/w/tmp/deploy/x.tar',
    });
    expect(formatCommand(steps[1]!.command)).toBe(
      'node tools/workspace/run-ts.mjs tools/cluster/src/main.ts load-image /w/tmp/deploy/x.tar',
    );
    expect(formatCommand(steps[3]!.command)).toBe(
      'helm test udp-server --kubeconfig /var/lib/ricochet-cluster/admin.kubeconfig --kube-context ricochet ' +
        '--namespace ricochet --timeout 2m',
    );
  });
});

describe('localImageRepository', () => {
  it('names a bare repository the way each engine stores it, so the loaded image is the one the pod asks for', () => {
    expect(localImageRepository('podman', 'udp-server')).toBe('localhost/udp-server');
    expect(localImageRepository('docker', 'udp-server')).toBe('docker.io/library/udp-server');
    expect(localImageRepository('docker', 'team/udp-server')).toBe('docker.io/team/udp-server');
  });

  it('leaves a repository with a registry host as it is', () => {
    for (const engine of ['podman', 'docker'] as const) {
      expect(localImageRepository(engine, 'registry.example.com/udp-server')).toBe('registry.example.com/udp-server');
      expect(localImageRepository(engine, '127.0.0.1:5000/udp-server')).toBe('127.0.0.1:5000/udp-server');
      expect(localImageRepository(engine, 'localhost/udp-server')).toBe('localhost/udp-server');
    }
  });
});
