// The real /metrics of the server: start the esbuild bundle (dist/apps/udp-server/main.js, built by
// `nx run udp-server:build`, which helm:test depends on) on free ports, read the HTTP port from its start-up log
// line, fetch /metrics, stop it. The dashboard and the alerts are checked against what it exports, not against
// a list someone keeps by hand.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './helpers';

export const SERVER_BUNDLE = join(ROOT, 'dist', 'apps', 'udp-server', 'main.js');

export interface Exposition {
  /** The exposition text. */
  text: string;
  /** Every metric name a query may use: sample names, plus the names `# TYPE` declares (a counter with no label
   * values yet, such as ricochet_send_errors_total, has no sample) and a histogram's _bucket, _sum, _count. */
  names: Set<string>;
  /** Each sample as its metric name and labels. */
  samples: { metric: string; labels: Record<string, string> }[];
}

const LISTENING = 'metrics and health endpoints listening';

/** Starts the server bundle, returns its exposition, and stops it (also when anything fails). */
export async function scrapeRealServer(timeoutMs = 20_000): Promise<Exposition> {
  if (!existsSync(SERVER_BUNDLE)) {
    throw new Error(
      `${SERVER_BUNDLE} is missing: run \`npx nx run udp-server:build\` (helm:test depends on it, so \`nx run helm:test\` builds it)`,
    );
  }
  const child = spawn(process.execPath, [SERVER_BUNDLE], {
    cwd: ROOT,
    env: {
      ...process.env,
      UDP_HOST: '127.0.0.1',
      UDP_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      DRAIN_SECONDS: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const signal = AbortSignal.timeout(timeoutMs);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      const fail = (why: string): void => reject(new Error(`${why}; stderr:\n${stderr}`));
      signal.addEventListener('abort', () => fail(`the server did not log "${LISTENING}" within ${timeoutMs} ms`), {
        once: true,
      });
      child.once('exit', (code) => fail(`the server exited (${code}) before logging "${LISTENING}"`));
      lines.on('line', (line) => {
        let entry: { msg?: string; address?: { port?: number } };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          return;
        }
        if (entry.msg === LISTENING && typeof entry.address?.port === 'number') resolve(entry.address.port);
      });
    });
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal });
    if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
    return parseExposition(await response.text());
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/** Parses Prometheus text format far enough to list metric names and sample labels. */
export function parseExposition(text: string): Exposition {
  const names = new Set<string>();
  const samples: Exposition['samples'] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/.exec(line);
    if (type) {
      const [, name, kind] = type;
      names.add(name!);
      if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name! + suffix);
      if (kind === 'summary') for (const suffix of ['_sum', '_count']) names.add(name! + suffix);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s/.exec(line);
    if (!sample) throw new Error(`cannot parse exposition line: ${line}`);
    names.add(sample[1]!);
    const labels: Record<string, string> = {};
    for (const m of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
    samples.push({ metric: sample[1]!, labels });
  }
  return { text, names, samples };
}
