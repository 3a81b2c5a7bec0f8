import { describeInCluster, required } from './cluster-env';
import { getJson, helmOk, inNamespace, kubectlOk, nodeIp, releaseArgs } from './kube';
import { pingCount } from './udp-load';

// 3 of the cluster tests: UDP from outside reaches the pods through a NodePort (kube-proxy's rules), and a pod
// reaches them through the ClusterIP. The old project never got UDP through (`minikube tunnel` carries TCP only).

interface ServiceJson {
  spec: { clusterIP: string; ports: { port: number; nodePort?: number; protocol: string }[] };
}

describeInCluster('UDP into the cluster', () => {
  const namespace = 'e2e-reach';
  const release = 'reach';
  let service: ServiceJson;

  inNamespace(namespace);

  beforeAll(async () => {
    await helmOk(releaseArgs({ release, namespace, set: { 'service.type': 'NodePort' } }));
    service = await getJson<ServiceJson>(namespace, 'service', `${release}-udp-server`);
  }, 300_000);

  it('declares the Service port as UDP, with a NodePort kube-proxy allocated', () => {
    const [port] = service.spec.ports;
    expect(port).toMatchObject({ protocol: 'UDP', port: 9999 });
    expect(port?.nodePort).toBeGreaterThanOrEqual(30000);
  });

  it('answers PING from the host through the NodePort on 127.0.0.1 and on the node IP', async () => {
    const nodePort = service.spec.ports[0]!.nodePort!;
    expect(await pingCount('127.0.0.1', nodePort, 20)).toBe(20);
    expect(await pingCount(nodeIp(), nodePort, 20)).toBe(20);
  });

  it('answers PING from a pod through the ClusterIP', async () => {
    const pod = 'ping-cluster-ip';
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod, namespace },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'ping',
            image: `${required('imageRepository')}:${required('imageTag')}`,
            imagePullPolicy: 'Never',
            command: ['/nodejs/bin/node', '/app/health-probe/main.js', 'ping'],
            args: ['--host', service.spec.clusterIP, '--port', '9999', '--count', '10', '--interval', '0.05', '--json'],
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      },
    };
    await kubectlOk(['apply', '-f', '-'], JSON.stringify(manifest));
    await kubectlOk(
      ['-n', namespace, 'wait', `pod/${pod}`, '--for=jsonpath={.status.phase}=Succeeded', '--timeout=120s'],
      undefined,
      150_000,
    );
    const logs = await kubectlOk(['-n', namespace, 'logs', pod]);
    expect(JSON.parse(logs.stdout)).toMatchObject({ sent: 10, received: 10 });
  });
});
