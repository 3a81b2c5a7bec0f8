import { Registry, collectDefaultMetrics } from './prom-client';
import { DROP_REASON_NAMES } from '../drop-reasons';
import { LIFECYCLE_STATES } from '../lifecycle';
import type { UdpService } from '../udp-service';
import { registerComputedMetric, type Sample } from './computed-metric';
import { KERNEL_UDP_COUNTERS, readKernelUdpCounters, type KernelUdpCounter } from './kernel-udp-counters';

const METRIC_PREFIX = 'ricochet_';

const KERNEL_READ_REUSE_MS = 500;

export interface BuildInfo {
  readonly version: string;
  readonly commit: string;
}

function labelled(label: string, names: readonly string[], values: Float64Array): Sample[] {
  return names.map((name, i) => ({ labels: { [label]: name }, value: values[i] as number }));
}

/**
 * The Prometheus registry for one server: its counters read at scrape time, the kernel's UDP counters for the
 * network namespace and build info, all under `ricochet_`; and prom-client's process and Node.js metrics under the
 * standard names (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`, …) that off-the-shelf Node.js
 * dashboards and alerts query.
 */
export function createServerMetrics(server: UdpService, build: BuildInfo, registry = new Registry()): Registry {
  const { stats } = server;
  const p = METRIC_PREFIX;
  const requestNames = stats.receivedKinds
    .slice(0, -1)
    .map((kind) => kind.toUpperCase())
    .join(' or ');

  registerComputedMetric(registry, {
    name: `${p}datagrams_received_total`,
    help: `Datagrams read from the socket, by request type (other: anything that is not a ${requestNames}).`,
    type: 'counter',
    samples: () => labelled('type', stats.receivedKinds, stats.received),
  });
  registerComputedMetric(registry, {
    name: `${p}replies_sent_total`,
    help: 'Replies handed to the socket, by reply type.',
    type: 'counter',
    samples: () => labelled('type', stats.replyKinds, stats.replies),
  });
  registerComputedMetric(registry, {
    name: `${p}datagrams_dropped_total`,
    help: 'Datagrams that got no answer, by reason.',
    type: 'counter',
    samples: () => labelled('reason', DROP_REASON_NAMES, stats.dropped),
  });
  const limitTables = [
    ['source', server.rateLimits?.sources],
    ['prefix', server.rateLimits?.prefixes],
  ] as const;
  registerComputedMetric(registry, {
    name: `${p}rate_limit_entries`,
    help: 'Sources and prefixes tracked by the rate limiter now (at most RATE_LIMIT_TABLE_SIZE each).',
    type: 'gauge',
    samples: () => limitTables.map(([table, t]) => ({ labels: { table }, value: t?.size ?? 0 })),
  });
  registerComputedMetric(registry, {
    name: `${p}rate_limit_evictions_total`,
    help: 'Sources and prefixes the rate limiter forgot to make room, the least recently seen first.',
    type: 'counter',
    samples: () => limitTables.map(([table, t]) => ({ labels: { table }, value: t?.evictions ?? 0 })),
  });
  registerComputedMetric(registry, {
    name: `${p}send_errors_total`,
    help: 'Replies the socket failed to send, by error code.',
    type: 'counter',
    samples: () => [...stats.sendErrors].map(([code, value]) => ({ labels: { code }, value })),
  });
  registerComputedMetric(registry, {
    name: `${p}datagram_handling_seconds`,
    help: 'Time from reading a datagram to handing its reply to the socket (or dropping it).',
    type: 'histogram',
    samples: () => {
      const h = stats.handlingSeconds;
      return [
        ...h.cumulative().map(({ le, count }) => ({
          metricName: `${p}datagram_handling_seconds_bucket`,
          labels: { le: le === Number.POSITIVE_INFINITY ? '+Inf' : le },
          value: count,
        })),
        { metricName: `${p}datagram_handling_seconds_sum`, labels: {}, value: h.sum },
        { metricName: `${p}datagram_handling_seconds_count`, labels: {}, value: h.count },
      ];
    },
  });
  registerComputedMetric(registry, {
    name: `${p}lifecycle_state`,
    help: 'The server lifecycle state: 1 for the current state, 0 for the others.',
    type: 'gauge',
    samples: () => LIFECYCLE_STATES.map((state) => ({ labels: { state }, value: server.state === state ? 1 : 0 })),
  });
  registerComputedMetric(registry, {
    name: `${p}socket_receive_buffer_bytes`,
    help: 'Socket receive buffer: what RECV_BUFFER_BYTES asked for and what the kernel granted.',
    type: 'gauge',
    samples: () => {
      const info = server.recvBuffer;
      if (info === undefined) return [];
      return [
        { labels: { kind: 'requested' }, value: info.requestedBytes },
        { labels: { kind: 'granted' }, value: info.grantedBytes },
      ];
    },
  });
  registerComputedMetric(registry, {
    name: `${p}socket_io_info`,
    help: 'Always 1; path says how the UDP socket moves datagrams: batched (recvmmsg/sendmmsg) or dgram (SOCKET_IO).',
    type: 'gauge',
    samples: () => [{ labels: { path: server.socketIo }, value: 1 }],
  });
  registerComputedMetric(registry, {
    name: `${p}workers`,
    help: 'Sockets serving the UDP port, one per worker thread (WORKERS); the counters above are their sum.',
    type: 'gauge',
    samples: () => [{ labels: {}, value: server.workers }],
  });
  // One /proc read per scrape, shared by the kernel counters below.
  let kernelRead: { at: number; counters: ReturnType<typeof readKernelUdpCounters> } | undefined;
  const kernelCounters = (): ReturnType<typeof readKernelUdpCounters> => {
    const now = performance.now();
    if (kernelRead === undefined || now - kernelRead.at > KERNEL_READ_REUSE_MS) {
      kernelRead = { at: now, counters: readKernelUdpCounters() };
    }
    return kernelRead.counters;
  };
  for (const [field, suffix] of Object.entries(KERNEL_UDP_COUNTERS)) {
    registerComputedMetric(registry, {
      name: `${p}kernel_udp_${suffix}_total`,
      help: `The kernel's Udp ${field} counter for this network namespace (/proc/net/snmp, snmp6).`,
      type: 'counter',
      samples: async () => {
        const { ipv4, ipv6 } = await kernelCounters();
        const samples: Sample[] = [];
        const v4 = ipv4[field as KernelUdpCounter];
        const v6 = ipv6[field as KernelUdpCounter];
        if (v4 !== undefined) samples.push({ labels: { ip_version: '4' }, value: v4 });
        if (v6 !== undefined) samples.push({ labels: { ip_version: '6' }, value: v6 });
        return samples;
      },
    });
  }
  registerComputedMetric(registry, {
    name: `${p}socket_drops_total`,
    help: "Datagrams the kernel dropped for this server's socket because its receive buffer was full (/proc/net/udp).",
    type: 'counter',
    samples: async () => {
      const drops = await server.socketDrops();
      return drops === undefined ? [] : [{ labels: {}, value: drops }];
    },
  });
  registerComputedMetric(registry, {
    name: `${p}build_info`,
    help: 'Always 1; the labels say which build is running.',
    type: 'gauge',
    samples: () => [
      { labels: { version: build.version, commit: build.commit, node_version: process.version }, value: 1 },
    ],
  });
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges `_total`, which promtool rejects and OpenMetrics reserves for counters. The same
  // numbers stay available, split by type, as nodejs_active_{handles,requests,resources}.
  for (const kind of ['handles', 'requests', 'resources']) registry.removeSingleMetric(`nodejs_active_${kind}_total`);
  return registry;
}
