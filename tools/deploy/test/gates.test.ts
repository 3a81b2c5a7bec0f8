import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ricochet/testing';
import type { Exec, ExecResult } from '../src/exec';
import { resolveKubeContext, requireImage, requireTool } from '../src/preflight';
import { checkStagingGate, readStagingImageTag } from '../src/staging-gate';

const sha = 'a'.repeat(40);
const other = 'b'.repeat(40);

const fakeExec =
  (result: Partial<ExecResult>): Exec =>
  () => ({ status: 0, stdout: '', stderr: '', ...result });

describe('the staging gate', () => {
  it('passes when staging runs the same commit', () => {
    expect(checkStagingGate(sha, sha, false)).toMatch(/passed/);
  });

  it('refuses another commit, or no record at all, with UDP_ERR_DEPLOY_GATE', () => {
    expect(() => checkStagingGate(sha, other, false)).toThrow(expect.objectContaining({ code: 'UDP_ERR_DEPLOY_GATE' }));
    expect(() => checkStagingGate(sha, undefined, false)).toThrow(/staging runs nothing on record/);
  });

  it('can be overridden, and the plan says so', () => {
    expect(checkStagingGate(sha, other, true)).toMatch(/OVERRIDDEN/);
  });

  it("reads the image tag from staging's terraform outputs", () => {
    const calls: string[][] = [];
    const exec: Exec = (command, args) => {
      calls.push([command, ...args]);
      return { status: 0, stdout: JSON.stringify({ image_tag: { value: sha, type: 'string' } }), stderr: '' };
    };
    expect(readStagingImageTag(exec, '/w')).toBe(sha);
    expect(calls).toEqual([['terraform', '-chdir=terraform/envs/staging', 'output', '-json']]);
  });

  it('finds no tag when terraform fails or prints something else', () => {
    expect(readStagingImageTag(fakeExec({ status: 1 }), '/w')).toBeUndefined();
    expect(readStagingImageTag(fakeExec({ stdout: 'not json' }), '/w')).toBeUndefined();
    expect(readStagingImageTag(fakeExec({ stdout: '{}' }), '/w')).toBeUndefined();
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
