import { isRicochetError } from '@ricochet/errors';
import { down, shellExports, status, up } from './registry';

const USAGE = `Usage: registry <up|down|status|env>   (normally: nx run registry:<command>)

An OCI registry on this machine (Debian's docker-registry, CNCF Distribution 2.8), on 127.0.0.1 over TLS with a
CA of its own. Ricochet's tools use it as they would any registry, through two settings:
  RICOCHET_REGISTRY          host[:port][/path] images and charts are pushed under
  RICOCHET_REGISTRY_CA_FILE  the CA that signed the registry's certificate (only for a private CA)

  up       start it (or find it running); print the two settings as shell shellExports
  down     stop exactly the process up started, and remove its state (every pushed image and chart)
  status   what runs, and the repositories it holds
  env      print the two settings of the running registry (exit 1 when it is down)

Environment: RICOCHET_REGISTRY_DIR (state, default ~/.local/state/ricochet/registry), RICOCHET_REGISTRY_PORT
(default 5443). Exit codes: 0 done, 1 failed, 64 bad command line.
`;

const log = (line: string): void => void process.stderr.write(`[registry] ${line}\n`);

async function main(command: string): Promise<number> {
  switch (command) {
    case 'up': {
      const started = performance.now();
      const endpoint = await up();
      log(`registry answering on https://${endpoint.address} in ${Math.round(performance.now() - started)} ms`);
      process.stdout.write(shellExports(endpoint));
      return 0;
    }
    case 'down': {
      const report = await down();
      log(
        report.stopped === undefined
          ? 'no registry was running'
          : `stopped docker-registry (pid ${report.stopped.pid})`,
      );
      if (report.removed) log('removed its state (images, charts, certificates)');
      return 0;
    }
    case 'status': {
      const s = await status();
      process.stdout.write(
        [
          `state:        ${s.dir}`,
          `process:      ${s.pid === undefined ? 'stopped' : `docker-registry pid ${s.pid}`}`,
          `address:      ${s.endpoint === undefined ? '(none)' : `https://${s.endpoint.address}`}${s.answers ? ' (answers)' : ''}`,
          `CA:           ${s.endpoint?.caFile ?? '(none)'}`,
          `repositories: ${s.repositories.join(', ') || '(none)'}`,
          '',
        ].join('\n'),
      );
      return 0;
    }
    case 'env': {
      const s = await status();
      if (!s.answers || s.endpoint === undefined) {
        log('the registry is not running: nx run registry:up');
        return 1;
      }
      process.stdout.write(shellExports(s.endpoint));
      return 0;
    }
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`registry: unknown command "${command}"\n\n${USAGE}`);
      return 64;
  }
}

main(process.argv[2] ?? '').then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (!isRicochetError(err)) throw err;
    process.stderr.write(`registry: ${err.code}: ${err.message}\n`);
    process.exitCode = 1;
  },
);
