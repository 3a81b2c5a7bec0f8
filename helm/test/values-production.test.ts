import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IHorizontalPodAutoscalerSpec } from 'kubernetes-models/autoscaling/v2';
import type { IPodDisruptionBudgetSpec } from 'kubernetes-models/policy/v1';
import { parse } from 'yaml';
import { CHART, KUBE_VERSIONS, type Manifest, one, render, renderError, validateManifest } from './helpers';

// values-production.yaml is generated from Terraform (terraform/scripts/values-production.mjs), and
// `nx run terraform:test` fails when it differs from what terraform/envs/production deploys. Here: that it is a
// configuration the chart supports, and that it leaves the image to each deploy.
const FILE = 'values-production.yaml';
const text = readFileSync(join(CHART, FILE), 'utf8');
const values = parse(text) as {
  image?: unknown;
  autoscaling: { minReplicas: number; maxReplicas: number };
  podDisruptionBudget: { maxUnavailable?: number | string; minAvailable?: number | string | null };
};

describe('values-production.yaml', () => {
  it.each(KUBE_VERSIONS)('renders valid Kubernetes objects on %s', (kubeVersion) => {
    const manifests = render({ valuesFiles: [FILE], kubeVersion });
    expect(manifests.map((m) => m.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ConfigMap']));
    for (const manifest of manifests) validateManifest(manifest);
  });

  it('reaches the objects as written: the autoscaler bounds and the disruption budget', () => {
    const manifests = render({ valuesFiles: [FILE] });
    const hpa = one<Manifest & { spec: IHorizontalPodAutoscalerSpec }>(manifests, 'HorizontalPodAutoscaler');
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([
      values.autoscaling.minReplicas,
      values.autoscaling.maxReplicas,
    ]);
    const pdb = one<Manifest & { spec: IPodDisruptionBudgetSpec }>(manifests, 'PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable ?? null).toEqual(values.podDisruptionBudget.maxUnavailable ?? null);
    expect(pdb.spec.minAvailable ?? null).toEqual(values.podDisruptionBudget.minAvailable ?? null);
  });

  it('names no image: a published chart keeps its own, and the chart here refuses to render until told one', () => {
    expect(values.image).toBeUndefined();
    expect(renderError({ valuesFiles: [FILE], values: { image: { tag: '' } } })).toContain('image.tag is empty');
  });

  it('says it is generated, from what, and how to install with it, the image included', () => {
    expect(text).toContain('GENERATED, do not edit: `nx run terraform:values-production`');
    expect(text).toContain('terraform/envs/production/settings.yaml');
    expect(text).toContain(`-f ${FILE}`);
    expect(text).toContain('--set image.tag=<full commit sha> --set image.digest=sha256:');
  });
});
