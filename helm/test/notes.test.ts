import { checkSettings, loadSettings, pingSettings } from '@ricochet/config';
import { FULLNAME, METRICS_SERVICE, renderNotes } from './helpers';

/** What the shell would make of the variables NOTES uses, so its command lines can be read as the probe reads them. */
const SHELL_VARIABLES: Readonly<Record<string, string>> = {
  '"$NODE_PORT"': '30999',
  '"$NODE_IP"': '192.0.2.10',
  '"$LB"': 'lb.example.com',
};

/** Every probe command line NOTES shows (after the probe's path or `health-probe`), split into arguments. */
function probeCommands(notes: string): string[][] {
  return [...notes.matchAll(/(?:\/app\/health-probe\/main\.js|^\s*health-probe) (.+)$/gm)].map((m) =>
    m[1]!.split(' ').map((arg) => SHELL_VARIABLES[arg] ?? arg),
  );
}

const SERVICE_TYPES = [{}, { service: { type: 'NodePort' } }, { service: { type: 'LoadBalancer' } }];

describe('NOTES.txt', () => {
  it('tells how to check a ClusterIP Service from inside the cluster and that port-forward cannot carry UDP', () => {
    const notes = renderNotes();
    expect(notes).toContain(`${FULLNAME}.udp.svc.cluster.local:9999/udp`);
    expect(notes).toContain('helm test ricochet --namespace udp');
    expect(notes).toContain(
      '--command -- /nodejs/bin/node /app/health-probe/main.js ping -c 5 --port 9999 ricochet-udp-server.udp.svc',
    );
    expect(notes).toContain('reachable only from inside the cluster');
    expect(notes).toContain('`kubectl port-forward` carries TCP only');
  });

  it("tells how to run the probe inside a running pod with kubectl exec, against the pod's own server", () => {
    const notes = renderNotes({ server: { port: 5353 } });
    const exec = `kubectl exec --namespace udp deployment/${FULLNAME} -- /nodejs/bin/node /app/health-probe/main.js`;
    expect(notes).toContain(`${exec} ping -c 5 --port 5353 127.0.0.1`);
    expect(notes).toContain(`${exec} check --expect serving --port 5353 --host 127.0.0.1`);
  });

  it.each(SERVICE_TYPES)('points at the executable and the image, never at a checkout, for %j', (values) => {
    const notes = renderNotes(values);
    expect(notes).not.toMatch(/dist\/|node_modules|\bnpx\b/);
    if (Object.keys(values).length > 0) {
      expect(notes).toMatch(/^ {2}health-probe ping -c 5 --port /m);
      expect(notes).toContain('docker run --rm --network host --entrypoint /nodejs/bin/node ');
    }
  });

  it.each(SERVICE_TYPES)('shows only probe command lines the probe accepts, for %j', (values) => {
    const commands = probeCommands(renderNotes(values));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const [command, ...argv] of commands) {
      const table = command === 'ping' ? pingSettings : checkSettings;
      expect(['ping', 'check']).toContain(command);
      expect(() => loadSettings(table, { env: {}, argv })).not.toThrow();
    }
  });

  it('tells how to reach a NodePort from outside, with the fixed node port and minikube ip', () => {
    const notes = renderNotes({ service: { type: 'NodePort', nodePort: 30999 } });
    expect(notes).toContain("any node's address, UDP port 30999");
    expect(notes).toContain('minikube ip');
  });

  it('says that with hostNetwork the nodes running a pod answer on their own address, and how to list them', () => {
    const notes = renderNotes({ hostNetwork: true, rollingUpdate: { maxUnavailable: 1 } });
    expect(notes).toContain('each node running one also answers on its own address, UDP\nport 9999');
    expect(notes).toContain("-o jsonpath='{.items[*].status.hostIP}'");
    expect(renderNotes()).not.toContain('hostNetwork');
  });

  it('tells how to find the address of a LoadBalancer', () => {
    expect(renderNotes({ service: { type: 'LoadBalancer' } })).toContain('.status.loadBalancer.ingress[0]');
  });

  it('tells where the metrics and health endpoints are and how to reach them', () => {
    const notes = renderNotes();
    expect(notes).toContain(
      `TCP port 9464 of every pod (/metrics, /livez, /readyz), behind the headless Service ${METRICS_SERVICE}`,
    );
    expect(notes).toContain(`kubectl port-forward --namespace udp deployment/${FULLNAME} 9464:9464`);
    expect(notes).toContain('Probes: exec.');
  });

  it('says when a switched-on ServiceMonitor or PrometheusRule was skipped because the cluster lacks the API', () => {
    const values = { metrics: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true } } };
    const without = renderNotes(values);
    expect(without).toContain(
      'ServiceMonitor: skipped. metrics.serviceMonitor.enabled is true, but this cluster serves no',
    );
    expect(without).toContain('PrometheusRule: skipped. metrics.prometheusRule.enabled is true');
    // helm install --dry-run=client knows no cluster APIs (and takes no --api-versions): force stands in.
    const forced = renderNotes({
      metrics: { serviceMonitor: { enabled: true, force: true }, prometheusRule: { enabled: true, force: true } },
    });
    expect(forced).toContain(`ServiceMonitor ${FULLNAME}: created for the Prometheus Operator.`);
    expect(forced).toContain(`PrometheusRule ${FULLNAME}: created for the Prometheus Operator.`);
    expect(forced).not.toContain('skipped');
  });

  it('names the traffic metric when autoscaling on datagrams', () => {
    expect(renderNotes({ autoscaling: { datagrams: { enabled: true } } })).toContain(
      'or 4000 datagrams/s per pod (custom metric ricochet_datagrams_received_per_second',
    );
  });

  it('warns when the drain is shorter than readiness plus kube-proxy need to move a pod’s flows, and not otherwise', () => {
    expect(renderNotes()).not.toMatch(/WARNING: server.drainSeconds/);
    const short = renderNotes({ server: { drainSeconds: 5 }, terminationGracePeriodSeconds: 10 });
    expect(short).toMatch(
      /WARNING: server.drainSeconds \(5\) is shorter than .* \(10 s: readinessProbe.periodSeconds/s,
    );
    expect(renderNotes({ server: { drainSeconds: 5 }, readinessProbe: { enabled: false } })).not.toMatch(/WARNING/);
  });
});
