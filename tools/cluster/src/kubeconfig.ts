import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { API_SERVER_URL, CLUSTER_NAME } from './layout';

/**
 * A kubeconfig for one client certificate, with the CA and the key embedded so the file can be copied anywhere
 * the API server's address is reachable.
 */
export function kubeconfig(pki: string, certificate: string, contextName: string): string {
  const base64 = (file: string): string => readFileSync(join(pki, file)).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: CLUSTER_NAME, cluster: { server: API_SERVER_URL, 'certificate-authority-data': base64('ca.crt') } },
    ],
    users: [
      {
        name: certificate,
        user: {
          'client-certificate-data': base64(`${certificate}.crt`),
          'client-key-data': base64(`${certificate}.key`),
        },
      },
    ],
    contexts: [{ name: contextName, context: { cluster: CLUSTER_NAME, user: certificate } }],
    'current-context': contextName,
  });
}
