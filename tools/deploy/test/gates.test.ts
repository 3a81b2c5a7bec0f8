import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';
import type { Exec, ExecResult } from '../src/exec';
import { resolveKubeContext, requireImage, requireTool } from '../src/preflight';
import { terraformSettings } from '../src/settings';
import { checkStagingGate, readOutputs, runningRelease } from '../src/staging-gate';
import type { Release } from '../src/steps';

const sha = 'a'.repeat(40);
const other = 'b'.repeat(40);
const release = (commit: string): Release => ({
  chartRepository: 'oci://registry.example.com/charts',
  chartVersion: `0.2.0-g${commit.slice(0, 12)}`,
  commit,
  imageRepository: 'registry.example.com/udp-server',
  imageDigest: `sha256:${'c'.repeat(64)}`,
});

const fakeExec =
  (result: Partial<ExecResult>): Exec =>
  () => ({ status: 0, stdout: '', stderr: '', ...result });

describe('the staging gate', () => {
  const gate = (staging: Release | undefined, skip = false, planOnly = false) =>
    checkStagingGate(sha, staging, { skip, planOnly });

  it('passes when staging runs the same commit', () => {
    expect(gate(release(sha))).toEqual({ passed: true, note: expect.stringMatching(/^staging gate passed/) });
  });

  it('refuses another commit, or no record at all, with UDP_ERR_DEPLOY_GATE', () => {
    expect(() => gate(release(other))).toThrow(expect.objectContaining({ code: 'UDP_ERR_DEPLOY_GATE' }));
    expect(() => gate(undefined)).toThrow(/staging runs nothing on record/);
  });

  it('turns the refusal into a note of the plan with --plan-only', () => {
    expect(gate(release(other), false, true)).toEqual({
      passed: false,
      note: expect.stringMatching(/^staging gate REFUSES this deployment: Production refused: staging runs b{40}/),
    });
  });

  it('can be overridden, and the plan says so', () => {
    expect(gate(release(other), true).note).toMatch(/OVERRIDDEN/);
  });
});

describe("staging's outputs", () => {
  const outputs = {
    chart_repository: 'oci://registry.example.com/charts',
    chart_version: `0.2.0-g${sha.slice(0, 12)}`,
    commit: sha,
    image_repository: 'registry.example.com/udp-server',
    image_digest: `sha256:${'c'.repeat(64)}`,
    revision: 3,
  };
  const json = JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value }])));

  it('are read with terraform output -json, in the data directory the deploys use', () => {
    const calls: { args: readonly string[]; env: Readonly<Record<string, string>> | undefined }[] = [];
    const exec: Exec = (_command, args, options) => {
      calls.push({ args, env: options?.env });
      return { status: 0, stdout: json, stderr: '' };
    };
    const terraform = terraformSettings('staging', '/w', { RICOCHET_TERRAFORM_DIR: '/tf' });
    expect(runningRelease(readOutputs(exec, '/w', terraform))).toEqual(release(sha));
    expect(calls[0]!.args).toEqual(['-chdir=terraform/envs/staging', 'output', '-json']);
    expect(calls[0]!.env).toMatchObject({ TF_DATA_DIR: '/tf/staging/data' });
  });

  it('name no release when terraform fails, prints something else, or a part is missing', () => {
    const terraform = terraformSettings('staging', '/w', {});
    expect(readOutputs(fakeExec({ status: 1 }), '/w', terraform)).toBeUndefined();
    expect(readOutputs(fakeExec({ stdout: 'not json' }), '/w', terraform)).toBeUndefined();
    expect(runningRelease(readOutputs(fakeExec({ stdout: '{}' }), '/w', terraform))).toBeUndefined();
    expect(runningRelease({ ...outputs, image_digest: null })).toBeUndefined();
  });
});

describe('preflight', () => {
  const kubeconfig = (text: string): string => {
    const file = join(makeTempDir('deploy-kube'), 'config');
    writeFileSync(file, text);
    return file;
  };
  const config = kubeconfig('current-context: staging\ncontexts:\n  - name: staging\n  - name: kind-ricochet\n');

  it('uses the current context, or the one asked for if the kubeconfig has it', () => {
    expect(resolveKubeContext(config, undefined)).toBe('staging');
    expect(resolveKubeContext(config, 'kind-ricochet')).toBe('kind-ricochet');
  });

  it('names what is missing: the file, the context, a current context', () => {
    expect(() => resolveKubeContext('/nonexistent/kubeconfig', undefined)).toThrow(
      /no kubeconfig at \/nonexistent\/kubeconfig/,
    );
    expect(() => resolveKubeContext(config, 'prod')).toThrow(
      /context "prod" is not in .* \(it has: staging, kind-ricochet\)/,
    );
    expect(() => resolveKubeContext(kubeconfig('contexts: []\n'), undefined)).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_KUBE_CONTEXT' }),
    );
    expect(() => resolveKubeContext(kubeconfig(': : not yaml ['), undefined)).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_KUBE_CONTEXT' }),
    );
  });

  it('reports a missing tool and a missing image by their codes', () => {
    const enoent = fakeExec({
      status: null,
      error: Object.assign(new Error('spawn terraform ENOENT'), { code: 'ENOENT' }),
    });
    expect(() => requireTool(enoent, 'terraform', ['version'], 'deploy')).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_TOOL_MISSING' }),
    );
    expect(() => requireImage(fakeExec({ status: 125 }), 'podman', `udp-server:${sha}`)).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_DEPLOY_IMAGE_MISSING' }),
    );
    expect(() => requireImage(fakeExec({}), 'podman', `udp-server:${sha}`)).not.toThrow();
  });
});
