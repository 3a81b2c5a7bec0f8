import type { IHorizontalPodAutoscalerSpec } from 'kubernetes-models/autoscaling/v2';
import { FULLNAME, type Manifest, ofKind, one, render, renderError, validateManifest } from './helpers';

type Hpa = Manifest & { spec: IHorizontalPodAutoscalerSpec };

describe('horizontalpodautoscaler.yaml', () => {
  it('scales the Deployment on CPU with autoscaling/v2 by default, 2 to 10 pods at 70 %', () => {
    const hpa = one<Hpa>(render(), 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: FULLNAME },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Percent', value: 100, periodSeconds: 15 },
            { type: 'Pods', value: 4, periodSeconds: 15 },
          ],
        },
        scaleDown: { stabilizationWindowSeconds: 300 },
      },
    });
  });

  it('scales up at once and fast, and down only after the stabilisation window', () => {
    const { behavior } = one<Hpa>(render(), 'HorizontalPodAutoscaler').spec;
    expect(behavior?.scaleUp?.stabilizationWindowSeconds).toBe(0);
    expect(behavior?.scaleUp?.selectPolicy).toBe('Max');
    expect(behavior?.scaleDown?.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
  });

  it('adds the datagrams-per-second Pods metric next to CPU with autoscaling.datagrams, in one HPA', () => {
    const manifests = render({ values: { autoscaling: { datagrams: { enabled: true } } } });
    expect(ofKind(manifests, 'HorizontalPodAutoscaler')).toHaveLength(1);
    const hpa = one<Hpa>(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      {
        type: 'Pods',
        pods: {
          metric: { name: 'ricochet_datagrams_received_per_second' },
          target: { type: 'AverageValue', averageValue: '4000' },
        },
      },
    ]);
    validateManifest(hpa);
  });

  it('takes the metric name and the per-pod target from autoscaling.datagrams', () => {
    const hpa = one<Hpa>(
      render({
        values: {
          autoscaling: { datagrams: { enabled: true, metricName: 'udp_datagrams_per_second', averageValue: 12000 } },
        },
      }),
      'HorizontalPodAutoscaler',
    );
    expect(hpa.spec.metrics?.[1]?.pods).toEqual({
      metric: { name: 'udp_datagrams_per_second' },
      target: { type: 'AverageValue', averageValue: '12000' },
    });
  });

  it('leaves the datagrams metric out by default', () => {
    expect(one<Hpa>(render(), 'HorizontalPodAutoscaler').spec.metrics?.map((m) => m.type)).toEqual(['Resource']);
  });

  it('fails when autoscaling.datagrams is on without autoscaling', () => {
    expect(renderError({ values: { autoscaling: { enabled: false, datagrams: { enabled: true } } } })).toContain(
      'autoscaling.datagrams.enabled needs autoscaling.enabled',
    );
  });

  it('takes the autoscaling values', () => {
    const hpa = one<Hpa>(render({ valuesFiles: ['ci/08-custom-server-values.yaml'] }), 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 30,
      behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
    });
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
