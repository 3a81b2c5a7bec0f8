import { FULLNAME, renderNotes } from './helpers';

describe('NOTES.txt', () => {
  it('tells how to check a ClusterIP Service from inside the cluster and that port-forward cannot carry UDP', () => {
    const notes = renderNotes();
    expect(notes).toContain(`${FULLNAME}.udp.svc.cluster.local:9999/udp`);
    expect(notes).toContain('helm test ricochet --namespace udp');
    expect(notes).toContain('ping --host ricochet-udp-server.udp.svc --port 9999');
    expect(notes).toContain('reachable only from inside the cluster');
    expect(notes).toContain('`kubectl port-forward` carries TCP only');
  });

  it('tells how to reach a NodePort from outside, with the fixed node port and minikube ip', () => {
    const notes = renderNotes({ service: { type: 'NodePort', nodePort: 30999 } });
    expect(notes).toContain('any node\'s address, UDP port 30999');
    expect(notes).toContain('minikube ip');
  });

  it('tells how to find the address of a LoadBalancer', () => {
    expect(renderNotes({ service: { type: 'LoadBalancer' } })).toContain('.status.loadBalancer.ingress[0]');
  });
});
