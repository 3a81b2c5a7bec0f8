import type { IPodDisruptionBudgetSpec } from 'kubernetes-models/policy/v1';
import { type Manifest, ofKind, one, render, renderError } from './helpers';

type Pdb = Manifest & { spec: IPodDisruptionBudgetSpec };

function pdbs(values: Record<string, unknown>): Pdb[] {
  return ofKind(render({ values }), 'PodDisruptionBudget') as Pdb[];
}

describe('poddisruptionbudget.yaml', () => {
  it('is rendered by default (the autoscaler can run up to 10 pods): one pod evicted at a time', () => {
    expect(one<Pdb>(render(), 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'udp-server', 'app.kubernetes.io/instance': 'ricochet' } },
    });
  });

  it.each([
    ['autoscaling up to 2 pods', { autoscaling: { minReplicas: 1, maxReplicas: 2 } }, 1],
    ['autoscaling up to 1 pod', { autoscaling: { minReplicas: 1, maxReplicas: 1 } }, 0],
    ['a fixed 3 pods', { autoscaling: { enabled: false }, replicaCount: 3 }, 1],
    ['a fixed 1 pod', { autoscaling: { enabled: false }, replicaCount: 1 }, 0],
    ['a fixed 0 pods', { autoscaling: { enabled: false }, replicaCount: 0 }, 0],
  ])('is rendered only when more than one pod can run: %s', (_case, values, count) => {
    expect(pdbs(values)).toHaveLength(count);
  });

  it('renders no PodDisruptionBudget when podDisruptionBudget.enabled is false', () => {
    expect(pdbs({ podDisruptionBudget: { enabled: false } })).toEqual([]);
  });

  it('takes minAvailable instead of maxUnavailable', () => {
    const [pdb] = pdbs({ podDisruptionBudget: { maxUnavailable: null, minAvailable: '50%' } });
    expect(pdb!.spec.minAvailable).toBe('50%');
    expect(pdb!.spec).not.toHaveProperty('maxUnavailable');
  });

  it('leaves unhealthyPodEvictionPolicy to Kubernetes when it is empty', () => {
    expect(pdbs({ podDisruptionBudget: { unhealthyPodEvictionPolicy: '' } })[0]!.spec).not.toHaveProperty(
      'unhealthyPodEvictionPolicy',
    );
  });

  it.each([
    ['both', { maxUnavailable: 1, minAvailable: 1 }],
    ['neither', { maxUnavailable: null, minAvailable: null }],
  ])('fails when %s of minAvailable and maxUnavailable are set', (_case, podDisruptionBudget) => {
    expect(renderError({ values: { podDisruptionBudget } })).toContain(
      'set exactly one of podDisruptionBudget.minAvailable and podDisruptionBudget.maxUnavailable',
    );
  });
});
