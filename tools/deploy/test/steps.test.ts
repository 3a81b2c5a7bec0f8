import { formatCommand } from '../src/exec';
import { localSteps, terraformSteps } from '../src/steps';

const sha = '0123456789abcdef0123456789abcdef01234567';

describe('terraform steps', () => {
  it('init, plan with the image and cluster variables to a plan file, then apply exactly that file', () => {
    const steps = terraformSteps({
      environment: 'staging',
      imageRepository: 'registry.example.com/ricochet/udp-server',
      imageTag: sha,
      kubeconfig: '/home/me/.kube/config',
      kubeContext: 'staging-admin',
    });
    expect(steps.map((s) => formatCommand(s.command))).toEqual([
      'terraform -chdir=terraform/envs/staging init -input=false',
      'terraform -chdir=terraform/envs/staging plan -input=false -out=staging-0123456789ab.tfplan ' +
        '-var image_repository=registry.example.com/ricochet/udp-server ' +
        `-var image_tag=${sha} -var kubeconfig_path=/home/me/.kube/config -var kube_context=staging-admin`,
      'terraform -chdir=terraform/envs/staging apply -input=false staging-0123456789ab.tfplan',
    ]);
    expect(steps.every((s) => s.why.length > 0)).toBe(true);
  });

  it('leaves the context to the kubeconfig when none is given', () => {
    const [, plan] = terraformSteps({
      environment: 'production',
      imageRepository: 'r',
      imageTag: sha,
      kubeconfig: 'k',
      kubeContext: undefined,
    });
    expect(plan!.command.join(' ')).not.toMatch(/kube_context/);
    expect(plan!.command[1]).toBe('-chdir=terraform/envs/production');
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
      `podman save -o /w/tmp/deploy/x.tar udp-server:${sha}`,
      'kind load image-archive /w/tmp/deploy/x.tar --name ricochet',
      'helm upgrade --install udp-server helm/udp-server --kube-context kind-ricochet --namespace ricochet ' +
        `--create-namespace -f helm/udp-server/values-local.yaml --set image.repository=udp-server --set image.tag=${sha} ` +
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
