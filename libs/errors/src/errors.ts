// The one table of error codes for all of Ricochet. It is its own library, with no dependencies, at the bottom
// of the dependency graph: every project can throw from it and every test can pin it.
// Rules: the key equals `.code`; a code is never reused or renamed once released; add new codes at the end of
// their group and list them in docs/errors.md.

export type MessageFormatter<A extends unknown[]> = (...args: A) => string;

export class RicochetError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Raised for bytes that are not a valid v1 datagram, or values that cannot be encoded as one. */
export class ProtocolError extends RicochetError {}

/** Raised for invalid settings or command lines. `problems` lists every problem, one per line of the message. */
export class ConfigError extends RicochetError {
  readonly problems: readonly string[];

  constructor(code: ErrorCode, message: string, problems: readonly string[]) {
    super(code, message);
    this.problems = problems;
  }
}

/** Raised by the server runtime for misuse of its API (lifecycle, hooks, socket). */
export class RuntimeError extends RicochetError {}

/** Raised by tools/deploy when a deployment must not or cannot go ahead. */
export class DeployError extends RicochetError {}

/** Raised by tools/cluster when the local cluster cannot be built, started or stopped. */
export class ClusterError extends RicochetError {}

/** Raised by the health probe when it cannot get a datagram on its way: the name does not resolve, no route. */
export class ProbeError extends RicochetError {}

/** Raised by tools/registry when the local registry cannot be started. */
export class RegistryError extends RicochetError {}

/** Refusals of the release flow (tools/release): nothing was changed. */
export class ReleaseError extends RicochetError {}

type ErrorKind = 'protocol' | 'config' | 'runtime' | 'deploy' | 'cluster' | 'probe' | 'registry' | 'release';

interface ErrorDefinition<K extends ErrorKind, A extends unknown[]> {
  readonly code: string;
  readonly kind: K;
  readonly format: MessageFormatter<A>;
}

function define<K extends ErrorKind, A extends unknown[]>(
  code: string,
  kind: K,
  format: MessageFormatter<A>,
): ErrorDefinition<K, A> {
  return { code, kind, format };
}

const definitions = {
  // Protocol: decoding
  UDP_ERR_TRUNCATED: define(
    'UDP_ERR_TRUNCATED',
    'protocol',
    (field: string, offset: number, needed: number, available: number) =>
      `Datagram truncated in ${field} at offset ${offset}: needed ${needed} bytes, ${available} left. ` +
      "Send the whole message; see libs/protocol/README.md for each type's layout.",
  ),
  UDP_ERR_BAD_MAGIC: define(
    'UDP_ERR_BAD_MAGIC',
    'protocol',
    (offset: number, got: number) =>
      `Bad magic at offset ${offset}: expected 0x5243 ("RC"), got 0x${got.toString(16).padStart(4, '0')}. ` +
      'This is not a Ricochet datagram.',
  ),
  UDP_ERR_UNSUPPORTED_VERSION: define(
    'UDP_ERR_UNSUPPORTED_VERSION',
    'protocol',
    (offset: number, got: number, supported: number) =>
      `Unsupported protocol version ${got} at offset ${offset}: this side speaks version ${supported}.`,
  ),
  UDP_ERR_UNKNOWN_TYPE: define(
    'UDP_ERR_UNKNOWN_TYPE',
    'protocol',
    (offset: number, got: number, known: string) =>
      `Unknown message type 0x${got.toString(16).padStart(2, '0')} at offset ${offset}: expected one of ${known}.`,
  ),
  UDP_ERR_TRAILING_BYTES: define(
    'UDP_ERR_TRAILING_BYTES',
    'protocol',
    (type: string, offset: number, extra: number) =>
      `${extra} trailing bytes after the ${type} body at offset ${offset}: the message must end there.`,
  ),
  UDP_ERR_BAD_FIELD: define(
    'UDP_ERR_BAD_FIELD',
    'protocol',
    (field: string, offset: number, expected: string, got: string) =>
      `Bad ${field} at offset ${offset}: expected ${expected}, got ${got}.`,
  ),
  // Protocol: encoding
  UDP_ERR_VALUE_RANGE: define(
    'UDP_ERR_VALUE_RANGE',
    'protocol',
    (field: string, expected: string, got: string) => `Cannot encode ${field}: expected ${expected}, got ${got}.`,
  ),
  UDP_ERR_BUFFER_TOO_SMALL: define(
    'UDP_ERR_BUFFER_TOO_SMALL',
    'protocol',
    (needed: number, offset: number, available: number) =>
      `Buffer too small: encoding needs ${needed} bytes at offset ${offset}, the buffer has ${available}. ` +
      'Allocate encodingLength(message) bytes past the offset.',
  ),
  // Protocol: the message table
  UDP_ERR_MESSAGE_TABLE: define(
    'UDP_ERR_MESSAGE_TABLE',
    'protocol',
    (problem: string) =>
      `Invalid message table: ${problem}. Each type byte has one codec and one UPPER_SNAKE name; requests are ` +
      '0x00-0x7f and name their reply, which is 0x80-0xff and in the same table (docs/extending.md).',
  ),
  // Configuration and command lines
  UDP_ERR_CONFIG_INVALID: define(
    'UDP_ERR_CONFIG_INVALID',
    'config',
    (problems: readonly string[]) =>
      `Invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}); ` +
      `nothing was started:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  ),
  UDP_ERR_USAGE: define(
    'UDP_ERR_USAGE',
    'config',
    (problems: readonly string[]) =>
      `Bad command line:\n${problems.map((p) => `  - ${p}`).join('\n')}\nRun with --help for usage.`,
  ),
  // Runtime
  UDP_ERR_LIFECYCLE: define(
    'UDP_ERR_LIFECYCLE',
    'runtime',
    (action: string, state: string, allowed: string) =>
      `Cannot ${action} while the server is ${state}: allowed only when ${allowed}.`,
  ),
  UDP_ERR_HOOK_INVALID: define(
    'UDP_ERR_HOOK_INVALID',
    'runtime',
    (name: string, known: string) => `Unknown or invalid hook "${name}": expected a function for one of ${known}.`,
  ),
  UDP_ERR_SOCKET: define(
    'UDP_ERR_SOCKET',
    'runtime',
    (action: string, address: string, cause: string) =>
      `Socket ${action} failed for ${address}: ${cause}. Check that the address exists and the port is free.`,
  ),
  UDP_ERR_SOCKET_IO_UNAVAILABLE: define(
    'UDP_ERR_SOCKET_IO_UNAVAILABLE',
    'runtime',
    (reason: string) =>
      `SOCKET_IO is batched, but batched socket I/O is unavailable here: ${reason}. Set SOCKET_IO=auto to fall ` +
      'back to dgram when it is, or ship the addon beside the server (docs/architecture.md, "Socket I/O").',
  ),
  // Deployment (tools/deploy)
  UDP_ERR_DEPLOY_DIRTY_TREE: define(
    'UDP_ERR_DEPLOY_DIRTY_TREE',
    'deploy',
    (files: string) =>
      `The working tree has uncommitted changes (${files}): an image tagged with the commit would not be what is ` +
      'deployed. Commit or stash them, or pass --allow-dirty.',
  ),
  UDP_ERR_DEPLOY_GATE: define(
    'UDP_ERR_DEPLOY_GATE',
    'deploy',
    (sha: string, staging: string) =>
      `Production refused: staging runs ${staging}, this is ${sha}. Deploy this commit to staging first ` +
      '(nx run deploy:staging), or pass --skip-staging-gate to override.',
  ),
  UDP_ERR_DEPLOY_TOOL_MISSING: define(
    'UDP_ERR_DEPLOY_TOOL_MISSING',
    'deploy',
    (tool: string, purpose: string) =>
      `${tool} is not on PATH; it is needed to ${purpose}. Install it (node tools/workspace/bootstrap.mjs helm brings helm and ` +
      'kubectl) or use --plan-only.',
  ),
  UDP_ERR_DEPLOY_KUBE_CONTEXT: define(
    'UDP_ERR_DEPLOY_KUBE_CONTEXT',
    'deploy',
    (detail: string) =>
      `No usable Kubernetes context: ${detail}. Pass --kubeconfig and --kube-context, or use --plan-only to see ` +
      'what would run without a cluster.',
  ),
  UDP_ERR_DEPLOY_IMAGE_MISSING: define(
    'UDP_ERR_DEPLOY_IMAGE_MISSING',
    'deploy',
    (image: string) => `Image ${image} is not in the local image store. Build it first: nx run udp-server:docker.`,
  ),
  UDP_ERR_DEPLOY_COMMAND_FAILED: define(
    'UDP_ERR_DEPLOY_COMMAND_FAILED',
    'deploy',
    (command: string, status: string) => `\`${command}\` failed (${status}); its output is above.`,
  ),
  UDP_ERR_DEPLOY_REGISTRY_MISSING: define(
    'UDP_ERR_DEPLOY_REGISTRY_MISSING',
    'deploy',
    (purpose: string) =>
      `No registry is configured, and one is needed to ${purpose}. Set RICOCHET_REGISTRY to host[:port][/path] ` +
      '(e.g. ghcr.io/acme), log in with `podman login` and `helm registry login`, and set RICOCHET_REGISTRY_CA_FILE ' +
      'if its certificate comes from a private CA. On a build machine: nx run registry:up prints both settings.',
  ),
  UDP_ERR_DEPLOY_REGISTRY_UNREACHABLE: define(
    'UDP_ERR_DEPLOY_REGISTRY_UNREACHABLE',
    'deploy',
    (registry: string, detail: string) =>
      `The registry ${registry} does not answer (${detail}). Check RICOCHET_REGISTRY (and ` +
      'RICOCHET_REGISTRY_CA_FILE for a private CA), or start it: nx run registry:up.',
  ),
  UDP_ERR_DEPLOY_PROVIDER_MISSING: define(
    'UDP_ERR_DEPLOY_PROVIDER_MISSING',
    'deploy',
    (provider: string, detail: string) =>
      `Terraform cannot install the ${provider} provider: ${detail}. With access to registry.terraform.io nothing ` +
      'is needed; without it, build the provider (nx run terraform-provider:build) and point ' +
      'RICOCHET_TERRAFORM_PLUGIN_DIR at the directory it prints.',
  ),
  UDP_ERR_DEPLOY_NOT_PUBLISHED: define(
    'UDP_ERR_DEPLOY_NOT_PUBLISHED',
    'deploy',
    (what: string, fix: string) => `${what} is not published. ${fix}`,
  ),
  UDP_ERR_DEPLOY_PUBLISH_CONFLICT: define(
    'UDP_ERR_DEPLOY_PUBLISH_CONFLICT',
    'deploy',
    (chart: string, published: string, now: string) =>
      `${chart} is already published for the image ${published}, but this commit's image is now ${now}. A version is ` +
      'published once: build the image reproducibly (podman, as nx run udp-server:docker does), or remove that ' +
      'chart version from the registry.',
  ),
  UDP_ERR_DEPLOY_SMOKE_FAILED: define(
    'UDP_ERR_DEPLOY_SMOKE_FAILED',
    'deploy',
    (target: string, detail: string) =>
      `The release was applied but does not answer PING at ${target}: ${detail}. Look at its pods ` +
      '(kubectl get pods -n <namespace>) and their logs; `helm rollback` returns to the previous revision.',
  ),
  // The local cluster (tools/cluster)
  UDP_ERR_CLUSTER_NOT_ROOT: define(
    'UDP_ERR_CLUSTER_NOT_ROOT',
    'cluster',
    () =>
      'The local cluster must be run as root: it creates a bridge, iptables chains, mounts and cgroups. Run it ' +
      'with sudo, or use kind or minikube instead (docs/kubernetes.md, "Other local clusters").',
  ),
  UDP_ERR_CLUSTER_TOOL_MISSING: define(
    'UDP_ERR_CLUSTER_TOOL_MISSING',
    'cluster',
    (tool: string, debianPackage: string) =>
      `${tool} is not installed; the local cluster needs it. Install ${debianPackage} ` +
      '(on Debian: `node tools/workspace/bootstrap.mjs apt` installs every package the cluster uses).',
  ),
  UDP_ERR_CLUSTER_BUILD_FAILED: define(
    'UDP_ERR_CLUSTER_BUILD_FAILED',
    'cluster',
    (component: string, version: string, output: string) =>
      `Building ${component} ${version} from the Go module proxy failed. Check that the proxy is reachable ` +
      `(go env GOPROXY) and that Go is 1.25 or newer. The build said:\n${output}`,
  ),
  UDP_ERR_CLUSTER_COMMAND_FAILED: define(
    'UDP_ERR_CLUSTER_COMMAND_FAILED',
    'cluster',
    (command: string, status: string, output: string) =>
      `\`${command}\` failed (${status}). Its last output:\n${output}\n` +
      'Run `nx run cluster:down` to clean up, fix the cause, then `nx run cluster:up` again.',
  ),
  UDP_ERR_CLUSTER_TIMEOUT: define(
    'UDP_ERR_CLUSTER_TIMEOUT',
    'cluster',
    (what: string, seconds: number, log: string, tail: string) =>
      `Timed out after ${seconds} s waiting for ${what}. Its log is ${log}; the last lines:\n${tail}\n` +
      'Run `nx run cluster:down` to clean up before trying again.',
  ),
  UDP_ERR_CLUSTER_CONFLICT: define(
    'UDP_ERR_CLUSTER_CONFLICT',
    'cluster',
    (detail: string) =>
      `Something on this machine is in the local cluster's way: ${detail}. If it is left from an earlier ` +
      'cluster, `nx run cluster:down` removes it; otherwise set RICOCHET_CLUSTER_DIR or free it by hand.',
  ),
  UDP_ERR_CLUSTER_NOT_RUNNING: define(
    'UDP_ERR_CLUSTER_NOT_RUNNING',
    'cluster',
    (missing: string) =>
      `The local cluster is not running (${missing} is not up). Start it with \`nx run cluster:up\`; ` +
      '`nx run cluster:status` shows what runs.',
  ),
  // Health probe
  UDP_ERR_PROBE_RESOLVE: define(
    'UDP_ERR_PROBE_RESOLVE',
    'probe',
    (host: string, cause: string) =>
      `Cannot resolve "${host}": ${cause}. Check the name (inside a cluster a Service is ` +
      '<service>.<namespace>.svc), or give an address.',
  ),
  UDP_ERR_PROBE_UNREACHABLE: define(
    'UDP_ERR_PROBE_UNREACHABLE',
    'probe',
    (target: string, cause: string) =>
      `Cannot send to ${target}: ${cause}. Check the address, and this machine's addresses and routes ` +
      '(`ip route get <address>`).',
  ),
  // The local registry (tools/registry)
  UDP_ERR_REGISTRY_TOOL_MISSING: define(
    'UDP_ERR_REGISTRY_TOOL_MISSING',
    'registry',
    (tool: string, debianPackage: string) =>
      `${tool} is not installed; the local registry needs it. Install ${debianPackage} ` +
      '(on Debian: `node tools/workspace/bootstrap.mjs apt`).',
  ),
  UDP_ERR_REGISTRY_FAILED: define(
    'UDP_ERR_REGISTRY_FAILED',
    'registry',
    (detail: string) => `The local registry could not be started: ${detail}. Run \`nx run registry:down\` to clean up.`,
  ),
  // Releases (tools/release)
  UDP_ERR_RELEASE_DIRTY_TREE: define(
    'UDP_ERR_RELEASE_DIRTY_TREE',
    'release',
    (files: string) =>
      `The working tree has uncommitted changes (${files}): a release commit would carry them. Commit or stash ` +
      'them first.',
  ),
  UDP_ERR_RELEASE_VERSION: define(
    'UDP_ERR_RELEASE_VERSION',
    'release',
    (given: string, current: string) =>
      `Cannot release ${given}: expected major, minor, patch or a MAJOR.MINOR.PATCH version after the current ` +
      `${current}. Pass --bump minor (or patch, major), or --version with a later version.`,
  ),
  UDP_ERR_RELEASE_NOTHING: define(
    'UDP_ERR_RELEASE_NOTHING',
    'release',
    () =>
      'CHANGELOG.md has nothing under "## [Unreleased]": a release must say what changed. Write the changes ' +
      'there (Keep a Changelog sections: Added, Changed, Fixed, …), commit, and release again.',
  ),
  UDP_ERR_RELEASE_TAG_EXISTS: define(
    'UDP_ERR_RELEASE_TAG_EXISTS',
    'release',
    (tag: string) => `The tag ${tag} already exists: that version was released. Choose a later version.`,
  ),
} as const;

export type ErrorCode = keyof typeof definitions;
type FormatArgs<C extends ErrorCode> = Parameters<(typeof definitions)[C]['format']>;

type ConfigErrorCode = {
  [C in ErrorCode]: (typeof definitions)[C]['kind'] extends 'config' ? C : never;
}[ErrorCode];
type ThrowableCode = Exclude<ErrorCode, ConfigErrorCode>;

const constructors = {
  protocol: ProtocolError,
  runtime: RuntimeError,
  deploy: DeployError,
  cluster: ClusterError,
  probe: ProbeError,
  registry: RegistryError,
  release: ReleaseError,
} as const;

/** Build the error for `code`. The table writes the message, so every throw site says the same thing. */
export function createError<C extends ThrowableCode>(code: C, ...args: FormatArgs<C>): RicochetError {
  const definition = definitions[code] as ErrorDefinition<Exclude<ErrorKind, 'config'>, FormatArgs<C>>;
  return new constructors[definition.kind](code, definition.format(...args));
}

/** Same as createError, typed for the protocol codes. */
export function protocolError<C extends ThrowableCode>(code: C, ...args: FormatArgs<C>): ProtocolError {
  return createError(code, ...args) as ProtocolError;
}

/** A config error lists every problem, both in its message and in `.problems`. */
export function configError(code: ConfigErrorCode, problems: readonly string[]): ConfigError {
  return new ConfigError(code, definitions[code].format(problems), problems);
}

/** Every code in the table, in order. A test pins this list. */
export const ERROR_CODES: readonly ErrorCode[] = Object.keys(definitions) as ErrorCode[];

export function isRicochetError(value: unknown): value is RicochetError {
  return value instanceof RicochetError;
}
