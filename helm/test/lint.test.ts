import { CHART, KUBE_VERSIONS, ciValuesFiles, helm } from './helpers';

const valueSets: [string, string[]][] = [
  ['the defaults', []],
  ...ciValuesFiles().map((file): [string, string[]] => [file, ['--values', `${CHART}/${file}`]]),
  ['values-local.yaml', ['--values', `${CHART}/values-local.yaml`]],
];

describe('helm lint --strict', () => {
  it('finds at least one ci value set to lint', () => {
    expect(ciValuesFiles().length).toBeGreaterThanOrEqual(8);
  });

  describe.each(KUBE_VERSIONS)('on Kubernetes %s', (kubeVersion) => {
    it.each(valueSets)('passes with %s', (_name, args) => {
      const { status, stdout, stderr } = helm(['lint', '--strict', '--kube-version', kubeVersion, CHART, ...args]);
      expect({ status, output: stdout + stderr }).toEqual({
        status: 0,
        output: expect.stringContaining('0 chart(s) failed'),
      });
    });
  });

  it('refuses a Kubernetes older than the chart supports (Chart.yaml kubeVersion >=1.27.0-0)', () => {
    const { status, stderr } = helm(['template', 'r', CHART, '--kube-version', '1.26.9']);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/kubeVersion|Kubernetes version/i);
  });
});
