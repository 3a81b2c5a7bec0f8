import { checkSettings, loadSettings, pingSettings, renderOptions, type SettingsTable } from '@ricochet/config';
import { ConfigError } from '@ricochet/errors';
import { runCheck } from './check';
import { ProbeExit } from './exit-codes';
import { runPing } from './ping';

const USAGE = `Usage: health-probe <command> [options]

Commands:
  check   Send one padded HEALTH request (retrying within --timeout-ms) and judge the answer.
          Exit 0: the answer meets --expect. 1: the server answered otherwise. 2: no valid answer in time.
  ping    Like ping(8), over the Ricochet protocol. Exit 0 when any reply came back, 2 when none did.

Exit 64 on a bad command line, 78 on an invalid setting.

check options:
${renderOptions(checkSettings)}

ping options:
${renderOptions(pingSettings)}
`;

function loadOrExplain<S extends SettingsTable>(
  table: S,
  argv: readonly string[],
): ReturnType<typeof loadSettings<S>> | ProbeExit {
  try {
    return loadSettings(table, { env: process.env, argv });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`health-probe: ${err.message}\n`);
    return err.code === 'UDP_ERR_USAGE' ? ProbeExit.USAGE : ProbeExit.CONFIG;
  }
}

async function main(argv: readonly string[]): Promise<ProbeExit> {
  const [command, ...options] = argv;
  const write = (text: string): void => void process.stdout.write(`${text}\n`);
  if (command === undefined || command === '--help' || command === '-h' || options.includes('--help')) {
    process.stdout.write(USAGE);
    return command === undefined ? ProbeExit.USAGE : ProbeExit.OK;
  }
  if (command === 'check') {
    const config = loadOrExplain(checkSettings, options);
    if (typeof config === 'number') return config;
    const result = await runCheck(config);
    write(result.line);
    return result.exitCode;
  }
  if (command === 'ping') {
    const config = loadOrExplain(pingSettings, options);
    if (typeof config === 'number') return config;
    return (await runPing(config, write)).exitCode;
  }
  process.stderr.write(
    `health-probe: unknown command "${command}": expected check or ping. Run with --help for usage.\n`,
  );
  return ProbeExit.USAGE;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Name resolution failures and the like: say what failed; it counts as "no answer".
    process.stderr.write(`health-probe: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = ProbeExit.NO_ANSWER;
  },
);
