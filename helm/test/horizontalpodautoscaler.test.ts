import type { IHorizontalPodAutoscalerSpec } from 'kubernetes-models/autoscaling/v2';
import { FULLNAME, type Manifest, ofKind, one, render, renderError } from './helpers';

type Hpa = Manifest & { spec: IHorizontalPodAutoscalerSpec };

describe('horizontalpodautoscaler.yaml', () => {
  it('scales the Deployment on CPU with autoscaling/v2 by default, 2 to 10 pods at 70 %', () => {
    const hpa = one<Hpa>(render(), 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: FULLNAME },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    });
  });

  it('takes the autoscaling values', () => {
    const hpa = one<Hpa>(render({ valuesFiles: ['ci/08-custom-server-values.yaml'] }), 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 30, behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } });
    expect(hpa.spec.metrics?.[0]?.resource?.target.averageUtilization).toBe(60);
  });

  it('renders no HorizontalPodAutoscaler when autoscaling.enabled is false', () => {
    expect(ofKind(render({ values: { autoscaling: { enabled: false } } }), 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('fails when minReplicas exceeds maxReplicas', () => {
    expect(renderError({ values: { autoscaling: { minReplicas: 5, maxReplicas: 3 } } })).toContain(
      'autoscaling.minReplicas (5) must not exceed autoscaling.maxReplicas (3)',
    );
  });

  it('fails when there is no CPU request to take a percentage of', () => {
    expect(renderError({ values: { resources: { requests: { cpu: null }, limits: { cpu: null } } } })).toContain(
      'autoscaling.enabled needs resources.requests.cpu',
    );
  });
});
