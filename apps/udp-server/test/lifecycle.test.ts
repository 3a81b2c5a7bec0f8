import { EventEmitter } from 'node:events';
import { decode, encode, HealthStatus, MessageType, paddedHealthRequest } from '@ricochet/protocol';
import { loadSettings, serverSettings } from '@ricochet/config';
import pino from 'pino';
import { createServer } from '../src/server';
import { handleShutdownSignals, type SignalTarget } from '../src/shutdown-signals';
import { UdpClient } from '@ricochet/testing';
import { chooseSocketIo } from '../src/socket-io/choose-socket-io';
import { SOCKET_IO_PATHS, startServer as startServerOver } from './helpers';

const silent = pino({ level: 'silent' });

let client: UdpClient;
beforeEach(async () => {
  client = await UdpClient.open();
});

describe.each(SOCKET_IO_PATHS)('over %s socket I/O', (socketIo) => {
  const settings = (env: Record<string, string> = {}) =>
    loadSettings(serverSettings, { env: { SOCKET_IO: socketIo, ...env }, argv: [] });
  const startServer = (env: Record<string, string> = {}) => startServerOver({ SOCKET_IO: socketIo, ...env });

  describe('lifecycle: starting → serving → draining → stopped', () => {
    it('starts in starting and serves after listen, logging the config, address, receive buffer and I/O path once', async () => {
      const config = settings({ UDP_HOST: '127.0.0.1', UDP_PORT: '0' });
      const server = createServer({ config, logger: silent });
      expect(server.state).toBe('starting');
      expect(() => server.address()).toThrow(expect.objectContaining({ code: 'UDP_ERR_LIFECYCLE' }));
      await server.listen();
      expect(server.state).toBe('serving');
      await server.close();

      const { server: logged, logs, port } = await startServer();
      const listening = logs.lines.filter((l) => l['msg'] === 'listening');
      expect(listening).toHaveLength(1);
      expect(listening[0]).toMatchObject({
        level: 'info',
        service: 'udp-server',
        address: { address: '127.0.0.1', port },
        config: { host: '127.0.0.1', port: 0, drainSeconds: 5 },
        recvBuffer: { requestedBytes: 4_194_304 },
        socketIo,
      });
      await logged.close();
    });

    it('refuses a second listen', async () => {
      const { server } = await startServer();
      await expect(server.listen()).rejects.toMatchObject({ code: 'UDP_ERR_LIFECYCLE' });
      await server.close();
    });

    it('reports a failed bind as UDP_ERR_SOCKET and ends stopped', async () => {
      const first = await startServer();
      const second = createServer({
        config: settings({ UDP_HOST: '127.0.0.1', UDP_PORT: String(first.port) }),
        logger: silent,
      });
      await expect(second.listen()).rejects.toMatchObject({
        code: 'UDP_ERR_SOCKET',
        message: expect.stringMatching(/EADDRINUSE/),
      });
      expect(second.state).toBe('stopped');
      await expect(second.stopped).resolves.toBeUndefined();
      await first.server.close();
    });

    it('drains: HEALTH turns DRAINING at once, PING is still answered, then the socket closes', async () => {
      const { server, port, logs } = await startServer({ DRAIN_SECONDS: '0.3' });
      const stopped = server.drain();
      expect(server.state).toBe('draining');
      const health = decode(await client.request(encode(paddedHealthRequest(1)), port));
      expect(health).toMatchObject({ type: MessageType.HEALTH_STATUS, status: HealthStatus.DRAINING });
      const pong = decode(
        await client.request(encode({ type: MessageType.PING, requestId: 2, payload: Buffer.from('x') }), port),
      );
      expect(pong).toMatchObject({ type: MessageType.PONG, requestId: 2 });
      await stopped;
      expect(server.state).toBe('stopped');
      const transitions = logs.lines
        .filter((l) => typeof l['to'] === 'string')
        .map((l) => `${String(l['from'])}→${String(l['to'])}`);
      expect(transitions).toEqual(['starting→serving', 'serving→draining', 'draining→stopped']);
    });

    it('returns the same promise when drain is called twice, and refuses to drain a server that never started', async () => {
      const { server } = await startServer({ DRAIN_SECONDS: '0' });
      expect(server.drain()).toBe(server.drain());
      await server.stopped;
      const idle = createServer({ config: settings(), logger: silent });
      expect(() => idle.drain()).toThrow(expect.objectContaining({ code: 'UDP_ERR_LIFECYCLE' }));
      await idle.close();
      expect(idle.state).toBe('stopped');
    });

    it('close skips what is left of the drain window and can be called again', async () => {
      const { server } = await startServer({ DRAIN_SECONDS: '3600' });
      void server.drain();
      await server.close();
      await server.close();
      expect(server.state).toBe('stopped');
    });
  });

  describe('hooks', () => {
    it('runs onListen, preClose and onClose in order', async () => {
      const config = settings({ UDP_HOST: '127.0.0.1', UDP_PORT: '0' });
      const calls: string[] = [];
      const server = createServer({ config, logger: silent })
        .addHook('onListen', (address) => void calls.push(`onListen:${address.address}`))
        .addHook('preClose', async () => void calls.push(`preClose:${server.state}`))
        .addHook('onClose', () => void calls.push(`onClose:${server.state}`));
      await server.listen();
      await server.close();
      expect(calls).toEqual(['onListen:127.0.0.1', 'preClose:serving', 'onClose:stopped']);
    });

    it('rejects an unknown hook name or a hook that is not a function', () => {
      const server = createServer({ config: settings(), logger: silent });
      expect(() => server.addHook('onRequest' as 'onListen', () => undefined)).toThrow(
        expect.objectContaining({ code: 'UDP_ERR_HOOK_INVALID' }),
      );
      expect(() => server.addHook('onClose', 'later' as unknown as () => void)).toThrow(
        expect.objectContaining({ code: 'UDP_ERR_HOOK_INVALID' }),
      );
    });
  });

  describe('receive buffer', () => {
    it('asks for RECV_BUFFER_BYTES, records what the kernel granted, and warns when it is less', async () => {
      const { server, logs } = await startServer({ RECV_BUFFER_BYTES: String(1024 ** 3) });
      const info = server.recvBuffer!;
      expect(info.requestedBytes).toBe(1024 ** 3);
      expect(info.grantedBytes).toBeGreaterThan(0);
      expect(info.grantedBytes).toBeLessThan(info.requestedBytes);
      expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'warn', grantedBytes: info.grantedBytes }));
      await server.close();
    });

    it('gets at least what a small request asks for, without a warning', async () => {
      const { server, logs } = await startServer({ RECV_BUFFER_BYTES: '65536' });
      expect(server.recvBuffer!.grantedBytes).toBeGreaterThanOrEqual(65536);
      expect(logs.lines.filter((l) => l['level'] === 'warn')).toEqual([]);
      await server.close();
    });
  });

  describe('shutdown signals', () => {
    class FakeProcess extends EventEmitter {
      exitCode: number | undefined;
      exit = ((code: number) => {
        this.exitCode = code;
      }) as (code: number) => never;
    }

    it('drains on the first SIGTERM and exits with 128+signal on the second', async () => {
      const { server } = await startServer({ DRAIN_SECONDS: '3600' });
      const target = new FakeProcess();
      const remove = handleShutdownSignals(server, silent, target as unknown as SignalTarget);
      target.emit('SIGTERM', 'SIGTERM');
      expect(server.state).toBe('draining');
      expect(target.exitCode).toBeUndefined();
      target.emit('SIGINT', 'SIGINT');
      expect(target.exitCode).toBe(130);
      remove();
      expect(target.listenerCount('SIGTERM') + target.listenerCount('SIGINT')).toBe(0);
      await server.close();
    });
  });
});

describe('choosing the socket I/O path', () => {
  const noAddon = () => ({ loaded: false as const, reason: 'no addon in this test' });

  it('auto falls back to dgram where the addon does not load, says why in one warning, and serves', async () => {
    const { server, port, logs } = await startServerOver({}, { socketIo: chooseSocketIo('auto', noAddon) });
    expect(server.socketIo).toBe('dgram');
    expect(logs.lines.filter((l) => l['level'] === 'warn')).toEqual([
      expect.objectContaining({
        msg: 'batched socket I/O unavailable: using dgram',
        socketIo: 'auto',
        reason: 'no addon in this test',
      }),
    ]);
    const ping = encode({ type: MessageType.PING, requestId: 3, payload: Buffer.alloc(0) });
    expect(decode(await client.request(ping, port))).toMatchObject({ type: MessageType.PONG, requestId: 3 });
  });

  it('auto takes batched where the addon loads, and dgram never loads it', () => {
    expect(chooseSocketIo('auto').path).toBe('batched');
    const load = jest.fn(noAddon);
    expect(chooseSocketIo('dgram', load)).toMatchObject({ path: 'dgram', fallbackReason: undefined });
    expect(load).not.toHaveBeenCalled();
  });

  it('batched refuses to start without the addon, with a coded error that says what to do', () => {
    expect(() => chooseSocketIo('batched', noAddon)).toThrow(
      expect.objectContaining({
        code: 'UDP_ERR_SOCKET_IO_UNAVAILABLE',
        message: expect.stringMatching(/no addon in this test.*SOCKET_IO=auto/),
      }),
    );
  });
});
