import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ClusterError,
  ConfigError,
  DeployError,
  ERROR_CODES,
  ProbeError,
  ProtocolError,
  RuntimeError,
  configError,
  createError,
} from './errors';

describe('the error code table', () => {
  it('holds exactly these codes, in this order (codes are never reused or renamed)', () => {
    expect(ERROR_CODES).toEqual([
      'UDP_ERR_TRUNCATED',
      'UDP_ERR_BAD_MAGIC',
      'UDP_ERR_UNSUPPORTED_VERSION',
      'UDP_ERR_UNKNOWN_TYPE',
      'UDP_ERR_TRAILING_BYTES',
      'UDP_ERR_BAD_FIELD',
      'UDP_ERR_VALUE_RANGE',
      'UDP_ERR_BUFFER_TOO_SMALL',
      'UDP_ERR_MESSAGE_TABLE',
      'UDP_ERR_CONFIG_INVALID',
      'UDP_ERR_USAGE',
      'UDP_ERR_LIFECYCLE',
      'UDP_ERR_HOOK_INVALID',
      'UDP_ERR_SOCKET',
      'UDP_ERR_SOCKET_IO_UNAVAILABLE',
      'UDP_ERR_DEPLOY_DIRTY_TREE',
      'UDP_ERR_DEPLOY_GATE',
      'UDP_ERR_DEPLOY_TOOL_MISSING',
      'UDP_ERR_DEPLOY_KUBE_CONTEXT',
      'UDP_ERR_DEPLOY_IMAGE_MISSING',
      'UDP_ERR_DEPLOY_COMMAND_FAILED',
      'UDP_ERR_DEPLOY_REGISTRY_MISSING',
      'UDP_ERR_DEPLOY_REGISTRY_UNREACHABLE',
      'UDP_ERR_DEPLOY_PROVIDER_MISSING',
      'UDP_ERR_DEPLOY_NOT_PUBLISHED',
      'UDP_ERR_DEPLOY_PUBLISH_CONFLICT',
      'UDP_ERR_DEPLOY_SMOKE_FAILED',
      'UDP_ERR_CLUSTER_NOT_ROOT',
      'UDP_ERR_CLUSTER_TOOL_MISSING',
      'UDP_ERR_CLUSTER_BUILD_FAILED',
      'UDP_ERR_CLUSTER_COMMAND_FAILED',
      'UDP_ERR_CLUSTER_TIMEOUT',
      'UDP_ERR_CLUSTER_CONFLICT',
      'UDP_ERR_CLUSTER_NOT_RUNNING',
      'UDP_ERR_PROBE_RESOLVE',
      'UDP_ERR_PROBE_UNREACHABLE',
      'UDP_ERR_REGISTRY_TOOL_MISSING',
      'UDP_ERR_REGISTRY_FAILED',
      'UDP_ERR_RELEASE_DIRTY_TREE',
      'UDP_ERR_RELEASE_VERSION',
      'UDP_ERR_RELEASE_NOTHING',
      'UDP_ERR_RELEASE_TAG_EXISTS',
    ]);
  });

  it('documents every code in docs/errors.md', () => {
    const docs = readFileSync(join(__dirname, '../../../docs/errors.md'), 'utf8');
    for (const code of ERROR_CODES) expect(docs).toContain(`\`${code}\``);
  });

  it('gives each error the code it was created with', () => {
    expect(createError('UDP_ERR_BAD_MAGIC', 0, 0x5858).code).toBe('UDP_ERR_BAD_MAGIC');
    expect(createError('UDP_ERR_LIFECYCLE', 'listen', 'serving', 'stopped').code).toBe('UDP_ERR_LIFECYCLE');
  });

  it('makes each kind of code its own class of error', () => {
    expect(createError('UDP_ERR_TRUNCATED', 'header', 0, 8, 3)).toBeInstanceOf(ProtocolError);
    expect(createError('UDP_ERR_SOCKET', 'bind', '0.0.0.0:1', 'EACCES')).toBeInstanceOf(RuntimeError);
    expect(createError('UDP_ERR_DEPLOY_IMAGE_MISSING', 'udp-server:abc')).toBeInstanceOf(DeployError);
    expect(createError('UDP_ERR_CLUSTER_NOT_ROOT')).toBeInstanceOf(ClusterError);
    expect(createError('UDP_ERR_PROBE_RESOLVE', 'udp-server.default.svc', 'no such name (ENOTFOUND)')).toBeInstanceOf(
      ProbeError,
    );
  });

  it('lists every config problem in the message and in .problems', () => {
    const err = configError('UDP_ERR_CONFIG_INVALID', ['UDP_PORT: expected a port', 'LOG_LEVEL: expected a level']);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems).toHaveLength(2);
    expect(err.message).toMatch(/2 problems[\s\S]*UDP_PORT[\s\S]*LOG_LEVEL/);
  });
});
