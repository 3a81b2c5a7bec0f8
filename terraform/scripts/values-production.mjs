#!/usr/bin/env node
// helm/udp-server/values-production.yaml: the chart values terraform/envs/production deploys, as a values file for
// people who install with Helm alone or from GitOps. Derived, never hand-written: the values come from the
// values module run over envs/production/settings.yaml (modules/udp-server-values/examples/environments, which
// feeds it exactly what the production root does), minus the image, which each deploy names.
// Usage (check.sh runs it after applying that example):
//   node values-production.mjs write|check <module.json> <settings.json> <chart dir>
//     module.json    `terraform output -json module` of examples/environments (one values module per environment)
//     settings.json  `terraform output -json settings` of the same (each environment's settings.yaml as read)
// `check` exits 1 when the committed file differs from what it would write.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const ENVIRONMENT = 'production';
const FILE = `values-${ENVIRONMENT}.yaml`;
// The values this file leaves to each deploy: a published chart's own values name its image, and the chart in the
// repository refuses to render until image.tag or image.digest is set.
const PER_DEPLOY = ['image'];

const isMap = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `value` with its keys in the order `reference` (the chart's values.yaml) has them, at every level. */
function orderLike(value, reference) {
  if (!isMap(value)) return value;
  const known = isMap(reference) ? Object.keys(reference) : [];
  const rank = (key) => (known.includes(key) ? known.indexOf(key) : known.length);
  return Object.fromEntries(
    Object.keys(value)
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((key) => [key, orderLike(value[key], isMap(reference) ? reference[key] : undefined)]),
  );
}

/** The whole file: how to use it, then the values. */
function valuesFile({ outputs, settings, chartValues }) {
  const values = Object.fromEntries(Object.entries(outputs.values).filter(([key]) => !PER_DEPLOY.includes(key)));
  const header = [
    `Chart values for helm/udp-server: what terraform/envs/${ENVIRONMENT} deploys, for installs with Helm alone`,
    'or from GitOps (Argo CD, Flux). GENERATED, do not edit: `nx run terraform:values-production` writes it from',
    `terraform/envs/${ENVIRONMENT}/settings.yaml through terraform/modules/udp-server-values, the module the root`,
    'calls, and `nx run terraform:test` fails when it differs from what that root would deploy. Change the',
    'settings file, then regenerate. Every key not here keeps the chart default (values.yaml documents each one).',
    '',
    'The image is not here: it is the per-deploy part. A published chart (nx run deploy:publish-chart) runs the image',
    'it was published with, so name only its version:',
    '',
    `  helm upgrade --install udp-server oci://<registry>/charts/udp-server --version <chart version> \\`,
    `    --namespace <namespace> --create-namespace -f ${FILE} \\`,
    `    --history-max ${settings.release.max_history} --wait --rollback-on-failure --timeout ${outputs.release_timeout_seconds}s`,
    '',
    'With the chart from this repository, name the image too; the render fails until image.tag or image.digest is',
    'set: add --set image.tag=<full commit sha> --set image.digest=sha256:<digest of its push>.',
    '',
    `--history-max, --wait, --rollback-on-failure (Helm 3: --atomic) and --timeout are what the Terraform release`,
    'does. The chart is also packaged with this file: `helm pull oci://… --untar` brings it along.',
  ];
  return `${header.map((line) => `# ${line}`.trimEnd()).join('\n')}\n\n${stringify(orderLike(values, chartValues))}`;
}

const [mode, modulePath, settingsPath, chartDir] = process.argv.slice(2);
if (!['write', 'check'].includes(mode) || !modulePath || !settingsPath || !chartDir) {
  console.error('usage: values-production.mjs write|check <module.json> <settings.json> <chart dir>');
  process.exit(2);
}
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const outputs = read(modulePath)[ENVIRONMENT];
const settings = read(settingsPath)[ENVIRONMENT];
if (!outputs || !settings) {
  console.error(
    `values-production: no "${ENVIRONMENT}" instance in ${modulePath} (is envs/${ENVIRONMENT}/settings.yaml there?)`,
  );
  process.exit(1);
}
const path = join(chartDir, FILE);
const wanted = valuesFile({
  outputs,
  settings,
  chartValues: parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')),
});
if (mode === 'write') {
  writeFileSync(path, wanted);
  console.log(`values-production: wrote helm/udp-server/${FILE}`);
  process.exit(0);
}
const committed = existsSync(path) ? readFileSync(path, 'utf8') : '';
if (committed !== wanted) {
  const [have, want] = [committed.split('\n'), wanted.split('\n')];
  const line = [...Array(Math.max(have.length, want.length)).keys()].find((i) => have[i] !== want[i]);
  console.error(
    `values-production: FAIL helm/udp-server/${FILE} differs from what terraform/envs/${ENVIRONMENT} deploys, ` +
      `from line ${line + 1}:\n  committed: ${JSON.stringify(have[line] ?? '(end of file)')}\n` +
      `  generated: ${JSON.stringify(want[line] ?? '(end of file)')}\n` +
      'Run `nx run terraform:values-production` and commit the file.',
  );
  process.exit(1);
}
console.log(`values-production: ok  helm/udp-server/${FILE} is what terraform/envs/${ENVIRONMENT} deploys`);
