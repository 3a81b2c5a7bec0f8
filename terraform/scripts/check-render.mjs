#!/usr/bin/env node
// Checks that chart values produced by modules/udp-server-values reach the rendered objects of helm/udp-server:
// `helm template` accepting the values proves the schema and the chart's own checks pass; this proves the keys
// mean what the module intends (image, pod count, grace period, server settings, disruption budget), and that
// every key the module does not send renders as the chart's own default.
// Usage:
//   node check-render.mjs --instances <module.json>             the values modules an example's `module` output holds
//   node check-render.mjs --values <module.json> <instance> <p> write <p>.yaml and <p>.json, that instance's values
//   node check-render.mjs <values.json> <manifest.yaml> <chart values.yaml>   exit 1 listing every mismatch
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';

// An example's `module` output is one values module's outputs, or a map of them (one per environment).
const instancesOf = (module) => ('values_yaml' in module ? { module } : module);
if (process.argv[2] === '--instances') {
  console.log(Object.keys(instancesOf(JSON.parse(readFileSync(process.argv[3], 'utf8')))).join('\n'));
  process.exit(0);
}
if (process.argv[2] === '--values') {
  const [file, instance, prefix] = process.argv.slice(3);
  const outputs = instancesOf(JSON.parse(readFileSync(file, 'utf8')))[instance];
  writeFileSync(`${prefix}.yaml`, outputs.values_yaml);
  writeFileSync(`${prefix}.json`, JSON.stringify(outputs.values));
  process.exit(0);
}

const [valuesPath, manifestPath, chartValuesPath] = process.argv.slice(2);
if (!valuesPath || !manifestPath || !chartValuesPath) {
  console.error('usage: check-render.mjs <values.json> <manifest.yaml> <chart values.yaml>');
  process.exit(2);
}

const isMap = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Helm's merge of user values over the chart's: maps merge key by key, a null deletes the default. */
function coalesce(defaults, given) {
  if (given === null) return undefined;
  if (!isMap(given) || !isMap(defaults)) return given === undefined ? defaults : given;
  const merged = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    const next = coalesce(defaults[key], value);
    if (next === undefined) delete merged[key];
    else merged[key] = next;
  }
  return merged;
}

// What the release runs: the chart's defaults with the module's values over them.
const values = coalesce(parse(readFileSync(chartValuesPath, 'utf8')), JSON.parse(readFileSync(valuesPath, 'utf8')));
const objects = parseAllDocuments(readFileSync(manifestPath, 'utf8'))
  .map((document) => document.toJS())
  .filter((object) => object && typeof object === 'object');
const ofKind = (kind) => objects.filter((object) => object.kind === kind);

const problems = [];
// JSON with object keys sorted, so that key order never decides equality.
const canonical = (value) =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );
const expect = (what, actual, wanted) => {
  if (canonical(actual) !== canonical(wanted)) {
    problems.push(`${what}: rendered ${JSON.stringify(actual)}, values say ${JSON.stringify(wanted)}`);
  }
};

const [deployment] = ofKind('Deployment');
if (!deployment) problems.push('no Deployment rendered');
else {
  const pod = deployment.spec.template.spec;
  // The chart's rule: global.imageRegistry, else image.registry, in front of image.repository; none: the whole name.
  const registry = values.global?.imageRegistry || values.image.registry;
  const name = registry ? `${registry}/${values.image.repository}` : values.image.repository;
  const container = pod.containers.find((c) => c.image?.startsWith(`${name}:`)) ?? pod.containers[0];
  expect(
    'Deployment image',
    container.image,
    `${name}:${values.image.tag}${values.image.digest ? `@${values.image.digest}` : ''}`,
  );
  expect('Deployment imagePullPolicy', container.imagePullPolicy, values.image.pullPolicy);
  expect('Deployment resources', container.resources, values.resources);
  expect(
    'Deployment terminationGracePeriodSeconds',
    pod.terminationGracePeriodSeconds,
    values.terminationGracePeriodSeconds,
  );
  expect('Deployment replicas', deployment.spec.replicas, values.autoscaling.enabled ? undefined : values.replicaCount);
  const udpPort = container.ports?.find((p) => p.protocol === 'UDP');
  expect('container UDP port', udpPort?.containerPort, values.server.port);
}

const configEnv = Object.assign({}, ...ofKind('ConfigMap').map((c) => c.data ?? {}));
expect('UDP_PORT', configEnv.UDP_PORT, String(values.server.port));
expect('LOG_LEVEL', configEnv.LOG_LEVEL, values.server.logLevel);
expect('DRAIN_SECONDS', configEnv.DRAIN_SECONDS, String(values.server.drainSeconds));
expect('MAX_DATAGRAM_BYTES', configEnv.MAX_DATAGRAM_BYTES, String(values.server.maxDatagramBytes));
expect('RECV_BUFFER_BYTES', configEnv.RECV_BUFFER_BYTES, String(values.server.recvBufferBytes));

// The UDP Service; the chart also renders a headless metrics Service (TCP only).
const service = ofKind('Service').find((s) => s.spec.ports?.some((p) => p.protocol === 'UDP'));
expect('Service type', service?.spec.type, values.service.type);
expect('Service UDP port', service?.spec.ports?.find((p) => p.protocol === 'UDP')?.port, values.service.port);

const hpas = ofKind('HorizontalPodAutoscaler');
if (values.autoscaling.enabled) {
  expect(
    'HorizontalPodAutoscaler bounds',
    [hpas[0]?.spec.minReplicas, hpas[0]?.spec.maxReplicas],
    [values.autoscaling.minReplicas, values.autoscaling.maxReplicas],
  );
  const cpu = hpas[0]?.spec.metrics?.find((m) => m.resource?.name === 'cpu');
  expect(
    'HorizontalPodAutoscaler CPU target',
    cpu?.resource.target.averageUtilization,
    values.autoscaling.targetCPUUtilizationPercentage,
  );
} else {
  expect('HorizontalPodAutoscaler count', hpas.length, 0);
}

// The chart renders a budget only when more than one pod can run.
const [pdb] = ofKind('PodDisruptionBudget');
const mostPods = values.autoscaling.enabled ? values.autoscaling.maxReplicas : values.replicaCount;
if (values.podDisruptionBudget.enabled && mostPods > 1) {
  expect(
    'PodDisruptionBudget minAvailable',
    pdb?.spec.minAvailable ?? null,
    values.podDisruptionBudget.minAvailable ?? null,
  );
  expect(
    'PodDisruptionBudget maxUnavailable',
    pdb?.spec.maxUnavailable ?? null,
    values.podDisruptionBudget.maxUnavailable ?? null,
  );
} else {
  expect('PodDisruptionBudget count', pdb ? 1 : 0, 0);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`render: FAIL ${problem}`);
  process.exit(1);
}
console.log(`render: ok  ${objects.length} objects match the values (${objects.map((o) => o.kind).join(', ')})`);
