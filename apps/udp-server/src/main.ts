import { ExitCode, loadSettings, renderOptions, serverSettings, type ServerConfig } from '@ricochet/config';
import { ConfigError } from '@ricochet/errors';
import { createLogger, flushLogger } from './logger';
import { StdoutDestination } from './stdout-destination';
import { startApp } from './app';
import { isMainThread, workerData } from 'node:worker_threads';
import { handleShutdownSignals } from './shutdown-signals';
import type { UdpService } from './udp-service';
import { isWorkerData } from './workers/worker-messages';
import { runWorkerThread } from './workers/worker-thread';

const USAGE = `Usage: udp-server [options]

Answers Ricochet PING and HEALTH datagrams. Every option can also be set by its environment variable; a flag
wins. On SIGTERM or SIGINT the server drains for --drain-seconds, then exits 0; a second signal exits at once.

Options:
${renderOptions(serverSettings)}
  --help                   Show this text.

Exit codes: 0 stopped cleanly, 1 could not start, 64 bad command line, 78 invalid configuration.
`;

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  let config: ServerConfig;
  try {
    config = loadSettings(serverSettings, { env, argv });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`udp-server: ${err.message}\n`);
    process.exitCode = err.code === 'UDP_ERR_USAGE' ? ExitCode.USAGE : ExitCode.CONFIG;
    return;
  }

  const stdout = new StdoutDestination();
  const logger = createLogger({ level: config.logLevel, destination: stdout });
  let server: UdpService;
  let removeSignalHandlers = (): void => undefined;
  try {
    ({ server } = await startApp(config, logger, {
      // Before the "listening" line, which is what tells a supervisor or a test that signals are now handled.
      beforeListen: (created) => (removeSignalHandlers = handleShutdownSignals(created, logger)),
    }));
  } catch (err) {
    removeSignalHandlers();
    logger.fatal({ err }, 'could not start');
    process.exitCode = 1;
    await flushLogger(logger);
    return;
  }
  stdout.goAsynchronous();
  await server.stopped;
  removeSignalHandlers();
  // A worker thread died and the pod stopped for it: not a clean stop.
  if (server.failure !== undefined) process.exitCode = 1;
  // With the socket closed and the logs flushed, nothing keeps the event loop alive: the process exits 0.
  await flushLogger(logger);
}

// The same bundle runs the pool's worker threads (WORKERS > 1): one UdpServer each, driven by the main thread.
if (!isMainThread && isWorkerData(workerData)) {
  runWorkerThread(workerData);
} else {
  main(process.argv.slice(2), process.env).catch((err: unknown) => {
    process.stderr.write(
      `udp-server: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  });
}
