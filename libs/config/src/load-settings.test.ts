import { ConfigError } from '@ricochet/errors';
import { loadSettings } from './load-settings';
import { checkSettings, pingSettings } from './probe-settings';
import { serverSettings } from './server-settings';

function loadServer(env: Record<string, string> = {}, argv: string[] = []) {
  return loadSettings(serverSettings, { env, argv });
}

function problemsOf(run: () => unknown): { code: string; problems: readonly string[] } {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return { code: err.code, problems: err.problems };
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSettings for the server', () => {
  it('returns the documented defaults when nothing is set', () => {
    expect(loadServer()).toEqual({
      host: '0.0.0.0',
      port: 9999,
      logLevel: 'info',
      drainSeconds: 5,
      maxDatagramBytes: 1472,
      recvBufferBytes: 4_194_304,
      metricsHost: '0.0.0.0',
      metricsPort: 9464,
      dropLogIntervalSeconds: 10,
      socketIo: 'auto',
      workers: 1,
      rateLimitSourceRate: 100,
      rateLimitSourceBurst: 200,
      rateLimitPrefixRate: 1000,
      rateLimitPrefixBurst: 2000,
      rateLimitIpv4Prefix: 24,
      rateLimitIpv6Prefix: 56,
      rateLimitTableSize: 65_536,
      rateLimitExempt: ['127.0.0.0/8', '::1/128'],
    });
  });

  it('reads a list of CIDR blocks, and none for an empty list', () => {
    expect(loadServer({ RATE_LIMIT_EXEMPT: ' 10.0.0.0/8, fd00::/8 ' }).rateLimitExempt).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    expect(loadServer({ RATE_LIMIT_EXEMPT: 'none' }).rateLimitExempt).toEqual([]);
    expect(problemsOf(() => loadServer({ RATE_LIMIT_EXEMPT: '10.0.0.1' })).problems).toEqual([
      'RATE_LIMIT_EXEMPT: expected comma-separated CIDR blocks such as 127.0.0.0/8,::1/128, or none, got "10.0.0.1"',
    ]);
  });

  it('reads environment variables', () => {
    const config = loadServer({ UDP_HOST: '127.0.0.1', UDP_PORT: '5353', LOG_LEVEL: 'debug', DRAIN_SECONDS: '0.5' });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 5353, logLevel: 'debug', drainSeconds: 0.5 });
  });

  it('lets a flag win over the environment', () => {
    expect(loadServer({ UDP_PORT: '5353' }, ['--port', '7000']).port).toBe(7000);
    expect(loadServer({ UDP_PORT: '5353' }, ['--port=7001']).port).toBe(7001);
  });

  it('treats an empty variable as unset', () => {
    expect(loadServer({ UDP_PORT: '' }).port).toBe(9999);
  });

  it('accepts IPv6 addresses and trims whitespace', () => {
    expect(loadServer({ UDP_HOST: ' :: ', UDP_PORT: ' 53 ' })).toMatchObject({ host: '::', port: 53 });
  });

  it('lists every problem at once, naming the variable, what was expected and what was given', () => {
    const { code, problems } = problemsOf(() =>
      loadServer({ UDP_PORT: '70000', LOG_LEVEL: 'loud', UDP_HOST: 'example.com' }, ['--drain-seconds', 'soon']),
    );
    expect(code).toBe('UDP_ERR_CONFIG_INVALID');
    expect(problems).toEqual([
      'UDP_HOST: expected an IPv4 or IPv6 address such as 0.0.0.0, 127.0.0.1 or ::, got "example.com"',
      'UDP_PORT: expected an integer from 0 to 65535, got "70000"',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      '--drain-seconds: expected a number from 0 to 3600, got "soon"',
    ]);
  });

  it.each([
    ['MAX_DATAGRAM_BYTES', '45'],
    ['MAX_DATAGRAM_BYTES', '65508'],
    ['RECV_BUFFER_BYTES', '1e6'],
    ['UDP_PORT', '-1'],
    ['UDP_PORT', '80.5'],
    ['DRAIN_SECONDS', '-1'],
  ])('rejects %s=%s', (name, value) => {
    expect(problemsOf(() => loadServer({ [name]: value })).problems).toEqual([
      expect.stringMatching(`^${name}: expected`),
    ]);
  });

  it('rejects an unknown flag as a usage error', () => {
    const { code, problems } = problemsOf(() => loadServer({}, ['--prot', '1']));
    expect(code).toBe('UDP_ERR_USAGE');
    expect(problems[0]).toMatch(/--prot/);
  });

  it('rejects a flag without its value as a usage error', () => {
    expect(problemsOf(() => loadServer({}, ['--port'])).code).toBe('UDP_ERR_USAGE');
  });

  it('returns a deep-frozen config', () => {
    const config = loadServer();
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('loadSettings for the probe', () => {
  it('reads the port from UDP_PORT like the server, so an exec probe inherits it', () => {
    expect(loadSettings(checkSettings, { env: { UDP_PORT: '8053' }, argv: [] })).toEqual({
      host: '127.0.0.1',
      port: 8053,
      timeoutMs: 1000,
      expect: 'serving',
    });
  });

  it('reads switches and rejects a value given to one', () => {
    expect(loadSettings(pingSettings, { env: {}, argv: ['--json', '--count', '3'] })).toMatchObject({
      json: true,
      count: 3,
    });
    expect(problemsOf(() => loadSettings(pingSettings, { env: {}, argv: ['--json=yes'] })).code).toBe('UDP_ERR_USAGE');
  });

  it("reads ping(8)'s short options, in its units (seconds), attached or not", () => {
    const argv = ['-c', '3', '-i0.2', '-s', '100', '-W', '0.5', '-w', '10', '-q'];
    expect(loadSettings(pingSettings, { env: {}, argv })).toMatchObject({
      count: 3,
      intervalSeconds: 0.2,
      size: 100,
      timeoutSeconds: 0.5,
      deadlineSeconds: 10,
      quiet: true,
    });
  });

  it('has no count and no deadline unless given: ping runs until interrupted, one PING a second', () => {
    expect(loadSettings(pingSettings, { env: {}, argv: [] })).toEqual({
      host: '127.0.0.1',
      port: 9999,
      count: undefined,
      intervalSeconds: 1,
      size: 56,
      timeoutSeconds: 1,
      deadlineSeconds: undefined,
      quiet: false,
      json: false,
    });
  });

  it('takes the host as the argument, before or after the options, or from --host or PROBE_HOST', () => {
    const host = (argv: string[], env: Record<string, string> = {}) => loadSettings(pingSettings, { env, argv }).host;
    expect(host(['udp-server.default.svc', '-c', '1'])).toBe('udp-server.default.svc');
    expect(host(['-c', '1', '10.0.0.7'])).toBe('10.0.0.7');
    expect(host(['--host', '::1'])).toBe('::1');
    expect(host(['10.0.0.8'], { PROBE_HOST: '10.0.0.9' })).toBe('10.0.0.8');
    expect(host([], { PROBE_HOST: '10.0.0.9' })).toBe('10.0.0.9');
  });

  it('names the argument and the short option as typed when their value is wrong', () => {
    expect(
      problemsOf(() => loadSettings(pingSettings, { env: {}, argv: ['no spaces', '-c', '0', '-i', '-1'] })),
    ).toEqual({
      code: 'UDP_ERR_CONFIG_INVALID',
      problems: [
        'HOST: expected an IPv4 or IPv6 address or a DNS name such as udp-server.default.svc, got "no spaces"',
        '-c: expected an integer from 1 to 1000000, got "0"',
        '-i: expected a number from 0.002 to 3600, got "-1"',
      ],
    });
  });

  it.each([
    [['10.0.0.1', '10.0.0.2'], /unexpected argument "10\.0\.0\.2": give one HOST/],
    [['10.0.0.1', '--host', '10.0.0.2'], /HOST given twice/],
    [['-x'], /Unknown option '-x'/],
  ])('refuses %j as a usage error', (argv, message) => {
    const { code, problems } = problemsOf(() => loadSettings(pingSettings, { env: {}, argv }));
    expect(code).toBe('UDP_ERR_USAGE');
    expect(problems[0]).toMatch(message);
  });

  it('refuses an argument where the command takes none', () => {
    const { code, problems } = problemsOf(() => loadSettings(checkSettings, { env: {}, argv: ['10.0.0.1'] }));
    expect(code).toBe('UDP_ERR_USAGE');
    expect(problems).toEqual(['unexpected argument "10.0.0.1": this command takes none']);
  });

  it('accepts a DNS name for the host and rejects what is not one', () => {
    expect(loadSettings(checkSettings, { env: {}, argv: ['--host', 'udp-server.default.svc'] }).host).toBe(
      'udp-server.default.svc',
    );
    expect(problemsOf(() => loadSettings(checkSettings, { env: {}, argv: ['--host', 'no spaces'] })).problems).toEqual([
      '--host: expected an IPv4 or IPv6 address or a DNS name such as udp-server.default.svc, got "no spaces"',
    ]);
  });

  it('takes a value that starts with a dash as the value, so its range check explains it', () => {
    expect(problemsOf(() => loadSettings(checkSettings, { env: {}, argv: ['--timeout-ms', '-1'] }))).toEqual({
      code: 'UDP_ERR_CONFIG_INVALID',
      problems: ['--timeout-ms: expected an integer from 10 to 60000, got "-1"'],
    });
    expect(loadSettings(pingSettings, { env: {}, argv: ['--count', '2', '--json'] })).toMatchObject({
      count: 2,
      json: true,
    });
    expect(problemsOf(() => loadSettings(pingSettings, { env: {}, argv: ['-W', '-1'] })).problems).toEqual([
      '-W: expected a number from 0.001 to 60, got "-1"',
    ]);
  });

  it('refuses port 0, which a server may bind but nothing can probe', () => {
    expect(problemsOf(() => loadSettings(checkSettings, { env: {}, argv: ['--port', '0'] })).problems).toEqual([
      '--port: expected an integer from 1 to 65535, got "0"',
    ]);
    expect(problemsOf(() => loadSettings(checkSettings, { env: { UDP_PORT: '0' }, argv: [] })).problems).toEqual([
      'UDP_PORT: expected an integer from 1 to 65535, got "0"',
    ]);
  });

  it.each(['999.1.1.1', '1.2.3', '10.0.0.256', '127.1'])('refuses %s: shaped like an IPv4 address, not one', (host) => {
    expect(problemsOf(() => loadSettings(checkSettings, { env: {}, argv: ['--host', host] })).code).toBe(
      'UDP_ERR_CONFIG_INVALID',
    );
  });

  it.each(['localhost', 'udp-server.default.svc.cluster.local.', '1password.com', 'a1.b2', '10.0.0.1', '::1'])(
    'accepts the host %s',
    (host) => {
      expect(loadSettings(checkSettings, { env: {}, argv: ['--host', host] }).host).toBe(host);
    },
  );

  it('rejects an unknown expectation', () => {
    expect(problemsOf(() => loadSettings(checkSettings, { env: {}, argv: ['--expect', 'ready'] })).problems).toEqual([
      '--expect: expected one of alive, serving, got "ready"',
    ]);
  });
});
