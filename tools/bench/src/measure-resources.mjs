#!/usr/bin/env node
// Measures what the udp-server bundle uses, so that the chart's default requests, limits and probe timeouts come
// from numbers rather than guesses. Loopback only; every phase is bounded in time.
//
//   npx nx run bench:resources -- [--seconds 10] [--probe-runs 30] [--cpu-limits 1000,500,250]
//
// Phases (each load phase gets a fresh server, so peak RSS and counters belong to that phase alone):
//   idle       CPU (millicores, from utime+stime in /proc/<pid>/stat) and RSS (/proc/<pid>/status) of a server
//              nobody talks to.
//   load       PING floods from one sender process at fixed rates and open-loop, 56- and 1464-byte payloads. The
//              datagrams the server received and answered come from its own "stopped" log line.
//   probe      wall and CPU time (10 ms resolution, from /usr/bin/time) of `health-probe check --expect serving`
//              against the idle server, as an exec probe runs it.
//   probe-cpu-limit  the same with the server and the probe in one CPU cgroup with a CFS quota, which is what a
//              container CPU limit is (an exec probe runs inside the container's cgroup): with the server idle,
//              answering 5000 PING/s, and flooded open-loop. Needs a writable cgroup (v1 cpu controller or v2
//              cpu.max); skipped otherwise.
// Prints one JSON document on stdout; progress goes to stderr.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    server: { type: 'string', default: 'dist/apps/udp-server/main.js' },
    probe: { type: 'string', default: 'dist/apps/health-probe/main.js' },
    'probe-runs': { type: 'string', default: '30' },
    'cpu-limits': { type: 'string', default: '1000,500,250' },
  },
});
const PHASE_SECONDS = Number(args.seconds);
const PROBE_RUNS = Number(args['probe-runs']);
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
const LOAD_PHASES = [
  { rate: 1000, payloadBytes: 56 },
  { rate: 5000, payloadBytes: 56 },
  { rate: 10000, payloadBytes: 56 },
  { rate: 20000, payloadBytes: 56 },
  { rate: 5000, payloadBytes: 1464 },
  { rate: 0, payloadBytes: 56 },
  { rate: 0, payloadBytes: 1464 },
];

const log = (message) => process.stderr.write(`[measure] ${message}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mib = (kib) => +(kib / 1024).toFixed(1);

function cpuTicks(pid) {
  // Fields after the ")" that closes the command name: utime and stime are fields 14 and 15 of the line.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function memoryKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: read('VmRSS'), hwm: read('VmHWM') };
}

function percentiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const pick = (p) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]);
  return { p50: pick(0.5), p95: pick(0.95), max: Math.round(s[s.length - 1]) };
}

/** A CPU cgroup with a CFS quota, like a container's CPU limit. Returns undefined when none can be made. */
function makeCpuCgroup(millicores) {
  const period = 100_000;
  const quota = Math.round((millicores / 1000) * period);
  const candidates = [
    { dir: '/sys/fs/cgroup', v2: true },
    { dir: '/sys/fs/cgroup/cpu', v2: false },
  ];
  for (const { dir, v2 } of candidates) {
    if (v2 && !existsSync(join(dir, 'cgroup.controllers'))) continue;
    if (!v2 && !existsSync(join(dir, 'cpu.cfs_quota_us'))) continue;
    const path = join(dir, `ricochet-measure-${process.pid}-${millicores}m`);
    try {
      mkdirSync(path);
      if (v2) writeFileSync(join(path, 'cpu.max'), `${quota} ${period}`);
      else {
        writeFileSync(join(path, 'cpu.cfs_period_us'), String(period));
        writeFileSync(join(path, 'cpu.cfs_quota_us'), String(quota));
      }
      return {
        procs: join(path, 'cgroup.procs'),
        add: (pid) => writeFileSync(join(path, 'cgroup.procs'), String(pid)),
        remove: () => rmdirSync(path),
      };
    } catch (err) {
      log(`cannot use a CPU cgroup under ${dir}: ${err.message}`);
    }
  }
  return undefined;
}

async function startServer() {
  const child = spawn(process.execPath, [resolve(args.server)], {
    // METRICS_*: servers that have the HTTP metrics port get a free loopback one (older ones ignore them).
    env: {
      ...process.env,
      UDP_HOST: '127.0.0.1',
      UDP_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      DRAIN_SECONDS: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = [];
  let partial = '';
  let listening;
  const ready = new Promise((r) => (listening = r));
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop();
    for (const line of parts) {
      const entry = JSON.parse(line);
      lines.push(entry);
      if (entry.msg === 'listening') listening(entry.address.port);
    }
  });
  const exited = once(child, 'exit');
  let stopping = false;
  void exited.then(([code, signal]) => {
    if (!stopping)
      log(`server ${child.pid} exited unexpectedly: ${code ?? signal}; last lines: ${JSON.stringify(lines.slice(-3))}`);
  });
  const port = await Promise.race([ready, exited.then(() => Promise.reject(new Error('server exited early')))]);
  return {
    pid: child.pid,
    port,
    /** SIGTERM, wait for the exit, return the counters of the "stopped" log line. */
    async stop() {
      stopping = true;
      child.kill('SIGTERM');
      await exited;
      return lines.find((l) => l.to === 'stopped')?.stats;
    },
  };
}

function ping(payloadBytes) {
  const buf = Buffer.alloc(8 + payloadBytes);
  buf.set([0x52, 0x43, 0x01, 0x01]);
  return buf;
}

/** Sends `rate` PINGs a second (0: as fast as one sender can) to `port` until `signal` aborts. */
async function flood(port, rate, payloadBytes, signal) {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const datagram = ping(payloadBytes);
  let sent = 0;
  let sendErrors = 0;
  const onSent = (err) => {
    if (err) sendErrors += 1;
  };
  const t0 = performance.now();
  if (rate === 0) {
    // Open loop: batches of 64, each awaited (its last send callback) and followed by a turn of the event loop,
    // so libuv's send queue stays bounded and timers and child-process exits are still handled.
    while (!signal.aborted) {
      await new Promise((batchSent) => {
        for (let i = 0; i < 64; i += 1, sent += 1) {
          socket.send(datagram, port, '127.0.0.1', i === 63 ? (err) => (onSent(err), batchSent()) : onSent);
        }
      });
      await new Promise(setImmediate);
    }
  } else {
    while (!signal.aborted) {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      for (; sent < due; sent += 1) {
        datagram.writeUInt32BE(sent >>> 0, 4);
        socket.send(datagram, port, '127.0.0.1', onSent);
      }
      await sleep(5);
    }
  }
  socket.close();
  return { sent, sendErrors, seconds: (performance.now() - t0) / 1000 };
}

async function idlePhase() {
  const server = await startServer();
  try {
    await sleep(2000);
    const before = memoryKiB(server.pid);
    const t0 = cpuTicks(server.pid);
    await sleep(PHASE_SECONDS * 1000);
    const cpu = ((cpuTicks(server.pid) - t0) / CLK_TCK / PHASE_SECONDS) * 1000;
    return { seconds: PHASE_SECONDS, cpuMillicores: Math.round(cpu), rssMiB: mib(before.rss) };
  } finally {
    await server.stop();
  }
}

async function loadPhase({ rate, payloadBytes }) {
  const server = await startServer();
  let result;
  try {
    await sleep(500);
    const t0 = cpuTicks(server.pid);
    const sender = flood(server.port, rate, payloadBytes, AbortSignal.timeout(PHASE_SECONDS * 1000));
    const { sent, sendErrors, seconds } = await sender;
    const cpu = ((cpuTicks(server.pid) - t0) / CLK_TCK / seconds) * 1000;
    const memory = memoryKiB(server.pid);
    result = {
      seconds,
      sent,
      sendErrors,
      cpuMillicores: Math.round(cpu),
      rssMiB: mib(memory.rss),
      peakRssMiB: mib(memory.hwm),
    };
  } finally {
    const stats = await server.stop();
    result = { ...result, received: stats?.received?.ping, answered: stats?.replies?.pong };
  }
  return {
    rate: rate === 0 ? 'max' : rate,
    payloadBytes,
    sentPerSecond: Math.round(result.sent / result.seconds),
    receivedPerSecond: Math.round(result.received / result.seconds),
    answeredPerSecond: Math.round(result.answered / result.seconds),
    sendErrors: result.sendErrors,
    cpuMillicores: result.cpuMillicores,
    rssMiB: result.rssMiB,
    peakRssMiB: result.peakRssMiB,
  };
}

/** Runs the probe `runs` times against `port`, inside `cgroup` when given; returns wall, CPU and RSS figures. */
async function probeRuns(port, runs, cgroup) {
  const probe = resolve(args.probe);
  const walls = [];
  const cpus = [];
  const rss = [];
  const exitCodes = {};
  const failures = [];
  const command = [
    process.execPath,
    probe,
    'check',
    '--expect',
    'serving',
    '--port',
    String(port),
    '--timeout-ms',
    '5000',
  ];
  for (let i = 0; i < runs; i += 1) {
    const argv = cgroup ? ['sh', '-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, ...command] : command;
    const t0 = performance.now();
    // Spawned asynchronously, so that a flood from this process keeps going while the probe runs.
    const child = spawn('/usr/bin/time', ['-f', 'TIME %U %S %M', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const [status] = await once(child, 'exit');
    if (status !== 0) {
      const said = (stdout + stderr).split('\n').filter((l) => l && !/^(TIME |Command exited)/.test(l));
      failures.push(`exit ${status}: ${said.join(' ')}`);
    }
    walls.push(performance.now() - t0);
    exitCodes[status] = (exitCodes[status] ?? 0) + 1;
    const [user, system, maxRssKiB] = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr).slice(1).map(Number);
    cpus.push((user + system) * 1000);
    rss.push(maxRssKiB / 1024);
  }
  return {
    runs,
    exitCodes,
    wallMs: percentiles(walls),
    cpuMs: percentiles(cpus),
    maxRssMiB: percentiles(rss),
    ...(failures.length > 0 ? { failures: failures.slice(0, 3) } : {}),
  };
}

async function probePhases() {
  if (!existsSync(resolve(args.probe))) {
    log(`no probe bundle at ${args.probe}: build it with npx nx run health-probe:build`);
    return null;
  }
  const server = await startServer();
  const results = {};
  try {
    await sleep(1000);
    results.unlimited = await probeRuns(server.port, PROBE_RUNS);
    log(`probe, no CPU limit: ${JSON.stringify(results.unlimited)}`);
    for (const millicores of args['cpu-limits'].split(',').filter(Boolean).map(Number)) {
      const cgroup = makeCpuCgroup(millicores);
      if (!cgroup) break;
      try {
        cgroup.add(server.pid);
        const idle = await probeRuns(server.port, PROBE_RUNS, cgroup);
        log(`probe, limit ${millicores}m, idle server: ${JSON.stringify(idle)}`);
        const underLoad = {};
        for (const [name, rate] of [
          ['busy5000pps', 5000],
          ['flooded', 0],
        ]) {
          const abort = new AbortController();
          const sender = flood(server.port, rate, 56, abort.signal);
          await sleep(500);
          underLoad[name] = await probeRuns(server.port, Math.ceil(PROBE_RUNS / 3), cgroup);
          abort.abort();
          await sender;
          log(`probe, limit ${millicores}m, server ${name}: ${JSON.stringify(underLoad[name])}`);
        }
        results[`limit${millicores}m`] = { idle, ...underLoad };
      } finally {
        // Move the server back out before removing the group.
        writeFileSync(
          cgroup.procs.replace(/\/ricochet-measure-[^/]+\/cgroup\.procs$/, '/cgroup.procs'),
          String(server.pid),
        );
        await sleep(100);
        cgroup.remove();
      }
    }
  } finally {
    await server.stop();
  }
  return results;
}

const idle = await idlePhase();
log(`idle: ${JSON.stringify(idle)}`);
const probe = await probePhases();
const load = [];
for (const p of LOAD_PHASES) {
  const result = await loadPhase(p);
  log(`load: ${JSON.stringify(result)}`);
  load.push(result);
}
process.stdout.write(
  JSON.stringify(
    { node: process.version, cpus: navigator.hardwareConcurrency, clkTck: CLK_TCK, idle, probe, load },
    null,
    2,
  ) + '\n',
);
