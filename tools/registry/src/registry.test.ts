import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { httpGet, isAlive } from '@ricochet/daemon';
import { describeIf, makeTempDir } from '@ricochet/testing';
import { findOnPath } from './run';
import { down, status, up } from './registry';

// The real docker-registry, on a port of its own, with its state in a temporary directory.

async function freeTcpPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

const installed = findOnPath('docker-registry') !== undefined;

describeIf(installed, 'docker-registry is not installed (node tools/workspace/bootstrap.mjs apt)')(
  'the local registry',
  () => {
    let env: NodeJS.ProcessEnv;
    beforeEach(async () => {
      env = {
        ...process.env,
        RICOCHET_REGISTRY_DIR: join(makeTempDir('registry-test'), 'state'),
        RICOCHET_REGISTRY_PORT: String(await freeTcpPort()),
      };
    });
    afterEach(() => down(env));

    it('answers its API over TLS, verified against its own CA, once up returns; up again finds it', async () => {
      const endpoint = await up(env);
      expect(endpoint.address).toBe(`127.0.0.1:${env['RICOCHET_REGISTRY_PORT']}`);
      const answer = await httpGet(`https://${endpoint.address}/v2/`, { ca: readFileSync(endpoint.caFile) });
      expect(answer?.status).toBe(200);
      expect(await up(env)).toEqual(endpoint);
      const s = await status(env);
      expect(s).toMatchObject({ answers: true, repositories: [], endpoint });
    });

    it('down stops exactly the process up started and removes its state', async () => {
      await up(env);
      const { pid } = await status(env);
      expect(pid).toBeDefined();
      const report = await down(env);
      expect(report.stopped?.pid).toBe(pid);
      expect(isAlive(report.stopped!)).toBe(false);
      expect(existsSync(env['RICOCHET_REGISTRY_DIR']!)).toBe(false);
      expect((await down(env)).stopped).toBeUndefined();
    });

    it('fails with UDP_ERR_REGISTRY_FAILED, leaving nothing running, when its port is taken', async () => {
      const blocker = createServer().listen(Number(env['RICOCHET_REGISTRY_PORT']), '127.0.0.1');
      await once(blocker, 'listening');
      try {
        await expect(up(env)).rejects.toMatchObject({ code: 'UDP_ERR_REGISTRY_FAILED' });
        expect((await status(env)).pid).toBeUndefined();
      } finally {
        blocker.close();
      }
    });
  },
);
