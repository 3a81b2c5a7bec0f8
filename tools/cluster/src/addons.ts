import { stringify } from 'yaml';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP } from './layout';

/**
 * The cluster's own workloads: CoreDNS (Service names resolve in pods, as the chart's helm test needs) and
 * metrics-server (the HorizontalPodAutoscaler reads CPU from it). Both run from local images, as non-root, with
 * the restricted Pod Security profile, in kube-system.
 */
type Manifest = Record<string, unknown>;

const NAMESPACE = 'kube-system';

/** Restricted-profile container settings, shared by both add-ons. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** CoreDNS listens on 1053 in the pod (no capability needed); the Service maps port 53 onto it. */
const DNS_CONTAINER_PORT = 1053;

function corefile(): string {
  return [
    `.:${DNS_CONTAINER_PORT} {`,
    '    errors',
    '    health :8080',
    '    ready :8181',
    `    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {`,
    '        pods insecure',
    '        fallthrough in-addr.arpa ip6.arpa',
    '        ttl 30',
    '    }',
    '    forward . /etc/resolv.conf',
    '    cache 30',
    '    loop',
    '    reload',
    '}',
    '',
  ].join('\n');
}

function deployment(name: string, labels: Record<string, string>, pod: Manifest): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE, labels },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod } },
  };
}

export function coreDnsManifests(image: string): Manifest[] {
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: NAMESPACE } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:coredns' },
      rules: [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:coredns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: NAMESPACE }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: NAMESPACE },
      data: { Corefile: corefile() },
    },
    deployment('coredns', labels, {
      serviceAccountName: 'coredns',
      priorityClassName: 'system-cluster-critical',
      // Upstream lookups go to the node's resolver, not to CoreDNS itself.
      dnsPolicy: 'Default',
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'coredns',
          image,
          imagePullPolicy: 'Never',
          args: ['-conf', '/etc/coredns/Corefile'],
          ports: [
            { name: 'dns', containerPort: DNS_CONTAINER_PORT, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: DNS_CONTAINER_PORT, protocol: 'TCP' },
          ],
          readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 2 },
          livenessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10, failureThreshold: 5 },
          resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } },
          securityContext: RESTRICTED_CONTAINER,
          volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: NAMESPACE, labels },
      spec: {
        clusterIP: DNS_SERVICE_IP,
        selector: labels,
        ports: [
          { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, targetPort: 'dns-tcp', protocol: 'TCP' },
        ],
      },
    },
  ];
}

export function metricsServerManifests(image: string): Manifest[] {
  const labels = { 'k8s-app': 'metrics-server' };
  const binding = (kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, role: string): Manifest => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(kind === 'RoleBinding' ? { namespace: NAMESPACE } : {}) },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: kind === 'RoleBinding' ? 'Role' : 'ClusterRole',
      name: role,
    },
    subjects: [{ kind: 'ServiceAccount', name: 'metrics-server', namespace: NAMESPACE }],
  });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'metrics-server', namespace: NAMESPACE } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:metrics-server' },
      rules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'system:aggregated-metrics-reader',
        labels: {
          'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
          'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          'rbac.authorization.k8s.io/aggregate-to-view': 'true',
        },
      },
      rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    },
    binding('ClusterRoleBinding', 'system:metrics-server', 'system:metrics-server'),
    binding('ClusterRoleBinding', 'metrics-server:system:auth-delegator', 'system:auth-delegator'),
    binding('RoleBinding', 'metrics-server-auth-reader', 'extension-apiserver-authentication-reader'),
    deployment('metrics-server', labels, {
      serviceAccountName: 'metrics-server',
      priorityClassName: 'system-cluster-critical',
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'metrics-server',
          image,
          imagePullPolicy: 'Never',
          args: [
            '--cert-dir=/tmp',
            '--secure-port=10250',
            '--kubelet-preferred-address-types=InternalIP',
            '--kubelet-use-node-status-port',
            // The kubelet's serving certificate is signed by the cluster CA: verify it, no --kubelet-insecure-tls.
            '--kubelet-certificate-authority=/etc/cluster-ca/ca.crt',
            '--metric-resolution=15s',
          ],
          ports: [{ name: 'https', containerPort: 10250, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 5 },
          livenessProbe: { httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10 },
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
          securityContext: RESTRICTED_CONTAINER,
          volumeMounts: [
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'cluster-ca', mountPath: '/etc/cluster-ca', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'tmp', emptyDir: {} },
        // Every namespace has this ConfigMap: the cluster CA, published by the controller manager.
        { name: 'cluster-ca', configMap: { name: 'kube-root-ca.crt' } },
      ],
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'metrics-server', namespace: NAMESPACE, labels },
      spec: { selector: labels, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io', labels },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: { name: 'metrics-server', namespace: NAMESPACE },
        // metrics-server makes its own serving certificate at start; the upstream manifest skips verification too.
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
  ];
}

export function toYamlStream(manifests: readonly Manifest[]): string {
  return manifests.map((manifest) => `---\n${stringify(manifest)}`).join('');
}
