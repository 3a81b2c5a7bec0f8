#!/usr/bin/env node
// `nx run helm:helm-lint`: `helm lint --strict` of the chart with its defaults, with every ci/*-values.yaml and with
// values-local.yaml and values-production.yaml, on the oldest and the newest Kubernetes the chart supports. helm
// comes from tools/workspace/bootstrap.mjs; its cache, config and data directories live in a temporary directory,
// so nothing from the user's helm setup leaks in.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ensureHelm } from '../../tools/workspace/bootstrap.mjs';

const CHART = join(ROOT, 'helm', 'udp-server');
const KUBE_VERSIONS = ['1.27.0', '1.35.0'];
// The chart renders only for a published image: lint as a published chart would be, with a commit sha as the tag.
const IMAGE_TAG = ['--set-string', 'image.tag=3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d'];

const helm = join(ensureHelm(), 'helm');
const home = mkdtempSync(join(tmpdir(), 'ricochet-helm-lint-'));
const env = {
  ...process.env,
  HELM_CACHE_HOME: join(home, 'cache'),
  HELM_CONFIG_HOME: join(home, 'config'),
  HELM_DATA_HOME: join(home, 'data'),
};
const valueSets = [
  [],
  ...readdirSync(join(CHART, 'ci'))
    .filter((name) => name.endsWith('-values.yaml'))
    .sort()
    .map((name) => ['--values', join(CHART, 'ci', name)]),
  ['--values', join(CHART, 'values-local.yaml')],
  ['--values', join(CHART, 'values-production.yaml')],
];

let failed = 0;
try {
  for (const kubeVersion of KUBE_VERSIONS) {
    for (const values of valueSets) {
      const args = ['lint', '--strict', '--kube-version', kubeVersion, CHART, ...IMAGE_TAG, ...values];
      const label = `helm lint --strict --kube-version ${kubeVersion} ${values[1] ? values[1].slice(ROOT.length + 1) : '(defaults)'}`;
      const result = spawnSync(helm, args, { env, encoding: 'utf8' });
      if (result.status === 0) {
        process.stdout.write(`ok   ${label}\n`);
      } else {
        failed += 1;
        process.stdout.write(`FAIL ${label}\n${result.stdout}${result.stderr}\n`);
      }
    }
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
if (failed > 0) {
  process.stderr.write(`${failed} helm lint run(s) failed\n`);
  process.exitCode = 1;
}
