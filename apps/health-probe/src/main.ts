import { checkSettings, loadSettings, pingSettings, renderOptions, type SettingsTable } from '@ricochet/config';
import { ConfigError, isRicochetError } from '@ricochet/errors';
import { PROTOCOL_VERSION } from '@ricochet/protocol';
import { runCheck } from './check';
import { PingExit, ProbeExit } from './exit-codes';
import { runPing } from './ping';
import { PROBE_VERSION } from './version';

const USAGE = `Usage: health-probe check [options]
       health-probe ping [options] [HOST]
       health-probe --version | -V

Commands:
  check   Send one padded HEALTH request (retrying within --timeout-ms) and judge the answer.
          Exit 0: the answer meets --expect. 1: the server answered otherwise. 2: no valid answer in time.
  ping    ping(8) over the Ricochet protocol, with ping's options (-c -i -s -W -w -q, in seconds) and exit
          codes: 0 when replies came, 1 when none did, 2 when nothing could be sent (unknown host, no route).
          Without -c it runs until Ctrl-C, then prints the statistics.

Exit 64 on a bad command line, 78 on an invalid setting.

check options:
${renderOptions(checkSettings)}

ping options:
${renderOptions(pingSettings)}
`;

const VERSION = `health-probe ${PROBE_VERSION} (Ricochet protocol v${PROTOCOL_VERSION})\n`;

type Exit = ProbeExit | PingExit;

function loadOrExplain<S extends SettingsTable>(
  table: S,
  argv: readonly string[],
): ReturnType<typeof loadSettings<S>> | Exit {
  try {
    return loadSettings(table, { env: process.env, argv });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`health-probe: ${err.message}\n`);
    return err.code === 'UDP_ERR_USAGE' ? ProbeExit.USAGE : ProbeExit.CONFIG;
  }
}

async function main(argv: readonly string[]): Promise<Exit> {
  const [command, ...options] = argv;
  const write = (text: string): void => void process.stdout.write(`${text}\n`);
  if (command === undefined || command === '--help' || command === '-h' || options.includes('--help')) {
    process.stdout.write(USAGE);
    return command === undefined ? ProbeExit.USAGE : ProbeExit.OK;
  }
  if (argv.includes('--version') || argv.includes('-V')) {
    process.stdout.write(VERSION);
    return ProbeExit.OK;
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
    // Ctrl-C ends the run with its statistics, as in ping(8); a second one kills it (the listener is gone).
    const interrupted = new AbortController();
    process.once('SIGINT', () => interrupted.abort());
    return (await runPing(config, { write, signal: interrupted.signal })).exitCode;
  }
  process.stderr.write(
    `health-probe: unknown command "${command}": expected check or ping. Run with --help for usage.\n`,
  );
  return ProbeExit.USAGE;
}

/** How a shell reports a process killed by SIGPIPE: what ping(8) gets when its reader goes (`| head -3`). */
const CLOSED_PIPE_EXIT = 128 + 13;

// The reader of our output went away: stop quietly, as a program killed by SIGPIPE does, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(CLOSED_PIPE_EXIT);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A name that does not resolve, an address with no route: coded, and exit 2 for both commands, as ping(8).
    const text = isRicochetError(err)
      ? `${err.code}: ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
    process.stderr.write(`health-probe: ${text}\n`);
    process.exitCode = PingExit.ERROR;
  },
);
