// Shared helpers for the chart tests: run the real helm binary, parse what it renders, validate it against the
// Kubernetes schemas. Each test file asserts on one template, as the CoreDNS chart's helm-unittest suites do.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigMap, Pod, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { makeTempDir } from '@ricochet/testing';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
export const CHART = join(ROOT, 'helm', 'udp-server');
export const HELM = join(ROOT, '.tools', 'bin', 'helm');
/** The oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and the newest the tests know. */
export const KUBE_VERSIONS = ['1.27.0', '1.35.0'] as const;
export const RELEASE = 'ricochet';
export const NAMESPACE = 'udp';
/** The full name of every object for RELEASE with default values. */
export const FULLNAME = 'ricochet-udp-server';
/** The metrics Service's name for RELEASE: also the `job` label the Prometheus Operator gives its targets. */
export const METRICS_SERVICE = `${FULLNAME}-metrics`;
/**
 * What a cluster running the Prometheus Operator reports to helm for its two kinds the chart uses (a live cluster
 * lists both "group/version" and "group/version/Kind"; the templates check the latter).
 */
export const PROMETHEUS_OPERATOR_APIS = [
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
] as const;

// helm's cache, config and data directories, private to the test file (removed after it).
const helmHome = makeTempDir('helm-test');
const HELM_ENV = {
  ...process.env,
  HELM_CACHE_HOME: join(helmHome, 'cache'),
  HELM_CONFIG_HOME: join(helmHome, 'config'),
  HELM_DATA_HOME: join(helmHome, 'data'),
  // No cluster: nothing may be read from (or sent to) whatever cluster the developer's kubeconfig names.
  KUBECONFIG: join(helmHome, 'no-kubeconfig'),
};

/** A rendered Kubernetes object, as parsed from YAML. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Manifests are untyped YAML: tests narrow what they read with the kubernetes-models types or `as`.
  [field: string]: unknown;
}

export interface RenderOptions {
  /** Values, written to a file and passed with --values (after any valuesFiles). */
  values?: Record<string, unknown>;
  /** Value files, relative to the chart (e.g. ci/02-nodeport-values.yaml) or absolute. */
  valuesFiles?: readonly string[];
  /** Render only this template, e.g. templates/service.yaml. */
  showOnly?: string;
  kubeVersion?: string;
  release?: string;
  /** --api-versions: APIs the pretend cluster serves (e.g. PROMETHEUS_OPERATOR_APIS). */
  apiVersions?: readonly string[];
}

let valuesCounter = 0;

/**
 * The chart renders only for a published image (image.tag empty fails): every render here starts from this commit
 * sha, as a published chart's values do, and a test's own values override it.
 */
export const TEST_IMAGE_TAG = '3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d';
const imageValuesFile = join(helmHome, 'image-values.yaml');
writeFileSync(imageValuesFile, JSON.stringify({ image: { tag: TEST_IMAGE_TAG } }));

function helmArgs(options: RenderOptions): string[] {
  const args = [
    'template',
    options.release ?? RELEASE,
    CHART,
    '--namespace',
    NAMESPACE,
    '--kube-version',
    options.kubeVersion ?? KUBE_VERSIONS[1],
    '--values',
    imageValuesFile,
  ];
  for (const file of options.valuesFiles ?? []) args.push('--values', file.startsWith('/') ? file : join(CHART, file));
  if (options.values) {
    // JSON is YAML: keeps numbers, nulls and nested maps exactly as the test wrote them.
    const file = join(helmHome, `values-${process.pid}-${valuesCounter++}.yaml`);
    writeFileSync(file, JSON.stringify(options.values));
    args.push('--values', file);
  }
  if (options.showOnly) args.push('--show-only', options.showOnly);
  for (const api of options.apiVersions ?? []) args.push('--api-versions', api);
  return args;
}

/** Runs helm with the private environment; returns its exit status and output. */
export function helm(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(HELM))
    throw new Error(
      `helm is missing at ${HELM}: the global setup installs it (node tools/workspace/bootstrap.mjs helm)`,
    );
  const result = spawnSync(HELM, args, { env: HELM_ENV, encoding: 'utf8', cwd: ROOT });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `helm template`, parsed into manifests (empty documents dropped). Throws with helm's message on failure. */
export function render(options: RenderOptions = {}): Manifest[] {
  const { status, stdout, stderr } = helm(helmArgs(options));
  if (status !== 0) throw new Error(`helm template failed (${status}):\n${stderr}`);
  return parseManifests(stdout);
}

/** A render that must fail; returns helm's error output. */
export function renderError(options: RenderOptions = {}): string {
  const { status, stdout, stderr } = helm(helmArgs(options));
  if (status === 0) throw new Error(`helm template succeeded but was expected to fail; it rendered:\n${stdout}`);
  return stderr;
}

/**
 * The text of one template, with the manifests it renders. `--show-only` makes helm fail when the template
 * renders nothing, so an empty result is reported as [] here.
 */
export function renderTemplate(template: string, options: Omit<RenderOptions, 'showOnly'> = {}): Manifest[] {
  const { status, stdout, stderr } = helm(helmArgs({ ...options, showOnly: template }));
  if (status === 0) return parseManifests(stdout);
  if (/could not find template/.test(stderr)) return [];
  throw new Error(`helm template --show-only ${template} failed (${status}):\n${stderr}`);
}

export function parseManifests(text: string): Manifest[] {
  const manifests: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0)
      throw new Error(`rendered YAML does not parse: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS({ maxAliasCount: -1 }) as Manifest | null;
    if (value !== null) manifests.push(value);
  }
  return manifests;
}

/** NOTES.txt as `helm install --dry-run=client` renders it (helm template does not render NOTES). */
export function renderNotes(values: Record<string, unknown> = {}): string {
  const file = join(helmHome, `values-${process.pid}-${valuesCounter++}.yaml`);
  writeFileSync(file, JSON.stringify(values));
  const args = [
    'install',
    RELEASE,
    CHART,
    '--namespace',
    NAMESPACE,
    '--dry-run=client',
    '--output',
    'json',
    '--values',
    imageValuesFile,
    '--values',
    file,
  ];
  const { status, stdout, stderr } = helm(args);
  if (status !== 0) throw new Error(`helm install --dry-run=client failed (${status}):\n${stderr}`);
  return (JSON.parse(stdout) as { info: { notes: string } }).info.notes;
}

/** The manifests of one kind. */
export function ofKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

/** The one manifest of a kind; fails the test when there are none or several. */
export function one<T = Manifest>(manifests: readonly Manifest[], kind: string): T {
  const found = ofKind(manifests, kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, got ${found.length}`);
  return found[0] as T;
}

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const MODELS: Readonly<Record<string, ModelClass>> = {
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/Pod': Pod as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
  'v1/ServiceAccount': ServiceAccount as unknown as ModelClass,
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as unknown as ModelClass,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as unknown as ModelClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelClass,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as unknown as ModelClass,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule as unknown as ModelClass,
};

/**
 * Validates a manifest against the Kubernetes OpenAPI schema of its kind (types, required fields, enums). A kind
 * the table does not know fails: a new template must come with its model.
 */
export function validateManifest(manifest: Manifest): void {
  const key = `${manifest.apiVersion}/${manifest.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`no kubernetes-models class for ${key}: add it to MODELS in helm/test/helpers.ts`);
  try {
    new Model(manifest as never).validate();
  } catch (err) {
    throw new Error(`${key} ${manifest.metadata.name} is invalid: ${(err as Error).message}`);
  }
}

/** The one manifest of a kind with a name; fails the test when there is none. */
export function named<T = Manifest>(manifests: readonly Manifest[], kind: string, name: string): T {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind} ${name}, got ${found.length}`);
  return found[0] as T;
}

/** The ci/NN-<case>-values.yaml files, relative to the chart, in order. */
export function ciValuesFiles(): string[] {
  return readdirSync(join(CHART, 'ci'))
    .filter((name) => /^\d\d-[a-z0-9-]+-values\.yaml$/.test(name))
    .sort()
    .map((name) => relative(CHART, join(CHART, 'ci', name)));
}

// The parts of a pod spec the restricted Pod Security Standard looks at.
interface SecurityContextFields {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: string };
}
export interface PodSpecFields {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: Record<string, unknown>[];
  securityContext?: SecurityContextFields;
  containers: ContainerFields[];
  initContainers?: ContainerFields[];
}
type ContainerFields = Record<string, unknown> & {
  name: string;
  securityContext?: SecurityContextFields;
  ports?: { hostPort?: number }[];
};

/**
 * The checks of the Pod Security Standard "restricted" (kubernetes.io/docs/concepts/security/pod-security-standards),
 * plus a read-only root filesystem, which this chart promises on top. Returns the violations, empty when none.
 */
export function restrictedViolations(spec: PodSpecFields): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push('host namespaces');
  for (const volume of spec.volumes ?? []) {
    const allowed = [
      'configMap',
      'csi',
      'downwardAPI',
      'emptyDir',
      'ephemeral',
      'persistentVolumeClaim',
      'projected',
      'secret',
    ];
    if (!Object.keys(volume).some((k) => allowed.includes(k)))
      problems.push(`volume type of ${String(volume['name'])}`);
  }
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const sc = c.securityContext ?? {};
    const at = `container ${c.name}`;
    if (sc.privileged) problems.push(`${at}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities.drop lacks ALL`);
    if ((sc.capabilities?.add ?? []).some((cap) => cap !== 'NET_BIND_SERVICE'))
      problems.push(`${at}: adds capabilities`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not true`);
    if ((sc.runAsUser ?? pod.runAsUser) === 0) problems.push(`${at}: runs as uid 0`);
    const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      problems.push(`${at}: seccompProfile is ${String(seccomp)}`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: root filesystem is writable`);
    if ((c.ports ?? []).some((p) => p.hostPort !== undefined)) problems.push(`${at}: hostPort`);
  }
  return problems;
}

/** The annotations of a Deployment's pod template. */
export function podTemplateAnnotations(deployment: Manifest): Record<string, string> {
  const spec = deployment['spec'] as { template: { metadata: { annotations?: Record<string, string> } } };
  return spec.template.metadata.annotations ?? {};
}
