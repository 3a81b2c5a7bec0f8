import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { MessageType, encode } from '@ricochet/protocol';
import { describeInCluster } from './cluster-env';
import { helmOk, inNamespace, nodePortOf, releaseArgs, serverPods, untilNodePortRouted } from './kube';

// The reply limits behind kube-proxy. The host reaches a NodePort masqueraded to the node's address, so every
// client on this machine is one source to the pod: with only loopback exempt (the chart's default), a burst from
// the host is held to the per-source burst and rate. The other cluster tests exempt the node for their load.

const RATE = 5;
const BURST = 5;
const SENT = 100;

describeInCluster('the reply limits in the cluster', () => {
  const namespace = 'e2e-limits';
  const release = 'limits';
  let nodePort: number;

  inNamespace(namespace);

  beforeAll(async () => {
    await helmOk([
      ...releaseArgs({
        release,
        namespace,
        set: {
          'service.type': 'NodePort',
          'autoscaling.enabled': false,
          replicaCount: 1,
          'server.rateLimit.sourceRate': RATE,
          'server.rateLimit.sourceBurst': BURST,
        },
      }),
      // After releaseArgs' own exemption of the node, so this one wins: loopback only, as the chart ships.
      '--set-json',
      'server.rateLimit.exempt=["127.0.0.0/8","::1/128"]',
    ]);
    nodePort = await nodePortOf(namespace, `${release}-udp-server`);
    // Not by PING: that would spend the burst under test. (A burst sent before the rule was lost whole in CI.)
    await untilNodePortRouted(nodePort);
  }, 300_000);

  it(`holds the host, seen as the node's address, to a burst of ${BURST} and ${RATE}/s, and counts the rest`, async () => {
    const socket = createSocket('udp4');
    socket.bind(0, '0.0.0.0');
    await once(socket, 'listening');
    const answeredIds = new Set<number>();
    const lastId = SENT + 1;
    const last = new Promise<void>((resolve) =>
      socket.on('message', (reply: Buffer) => {
        const id = reply.readUInt32BE(4);
        answeredIds.add(id);
        if (id === lastId) resolve();
      }),
    );
    const ping = (id: number): void =>
      socket.send(encode({ type: MessageType.PING, requestId: id, payload: Buffer.alloc(8) }), nodePort, '127.0.0.1');
    try {
      const started = performance.now();
      for (let id = 1; id <= SENT; id++) ping(id);
      // Then one PING every 100 ms until one is answered (a token comes back every 1/RATE s): that answer comes
      // after every PING of the burst was handled, so the count below is final.
      const resend = setInterval(() => ping(lastId), 100);
      const deadline = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref(),
      );
      await Promise.race([last, deadline]).finally(() => clearInterval(resend));
      const seconds = (performance.now() - started) / 1000;
      const burstAnswered = [...answeredIds].filter((id) => id <= SENT).length;
      console.log(`limits in the cluster: ${JSON.stringify({ sent: SENT, burstAnswered, seconds })}`);
      expect(burstAnswered).toBeGreaterThanOrEqual(BURST);
      expect(burstAnswered).toBeLessThanOrEqual(BURST + Math.ceil(RATE * seconds));
    } finally {
      socket.close();
    }

    const [pod] = await serverPods(namespace, release);
    const exposition = await (await fetch(`http://${pod!.ip}:9464/metrics`)).text();
    const limited = Number(/^ricochet_datagrams_dropped_total\{reason="rate_limited"\} (\d+)$/m.exec(exposition)?.[1]);
    const sources = Number(/^ricochet_rate_limit_entries\{table="source"\} (\d+)$/m.exec(exposition)?.[1]);
    expect(limited).toBeGreaterThanOrEqual(SENT - BURST - Math.ceil(RATE * 10));
    // One source: the node's address, whichever client on this machine sent.
    expect(sources).toBe(1);
  }, 120_000);
});
