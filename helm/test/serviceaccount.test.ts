import type { IPodSpec } from 'kubernetes-models/v1';
import { FULLNAME, type Manifest, ofKind, one, render } from './helpers';

type Deployment = Manifest & { spec: { template: { spec: IPodSpec } } };

describe('serviceaccount.yaml', () => {
  it('creates a ServiceAccount that mounts no token, used by the pods', () => {
    const manifests = render();
    const account = one<Manifest & { automountServiceAccountToken: boolean }>(manifests, 'ServiceAccount');
    expect(account.metadata.name).toBe(FULLNAME);
    expect(account.automountServiceAccountToken).toBe(false);
    expect(one<Deployment>(manifests, 'Deployment').spec.template.spec.serviceAccountName).toBe(FULLNAME);
  });

  it('takes serviceAccount.name and annotations', () => {
    const manifests = render({
      values: { serviceAccount: { name: 'edge', annotations: { 'iam.example.com/role': 'r' } } },
    });
    const account = one(manifests, 'ServiceAccount');
    expect(account.metadata).toMatchObject({ name: 'edge', annotations: { 'iam.example.com/role': 'r' } });
    expect(one<Deployment>(manifests, 'Deployment').spec.template.spec.serviceAccountName).toBe('edge');
  });

  it('renders no ServiceAccount when serviceAccount.create is false, and the pods use "default"', () => {
    const manifests = render({ values: { serviceAccount: { create: false } } });
    expect(ofKind(manifests, 'ServiceAccount')).toEqual([]);
    expect(one<Deployment>(manifests, 'Deployment').spec.template.spec.serviceAccountName).toBe('default');
  });

  it('uses an existing ServiceAccount by name when create is false', () => {
    const manifests = render({ values: { serviceAccount: { create: false, name: 'shared' } } });
    expect(one<Deployment>(manifests, 'Deployment').spec.template.spec.serviceAccountName).toBe('shared');
  });
});
