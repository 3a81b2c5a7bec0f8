import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_DOMAIN, KUBERNETES_SERVICE_IP, NODE_IP, NODE_NAME } from './layout';
import { runOk } from './run';

/**
 * The cluster's keys and certificates, made with openssl at `up` and kept until `down`. ECDSA P-256 keys: quick
 * to make, accepted by every component. Two CAs as kubeadm has them: the cluster CA signs every client and
 * serving certificate; the front-proxy CA signs only the API server's aggregation-layer client (metrics-server
 * trusts requests signed by it, and no other).
 */
export interface Certificate {
  /** File stem: <pki>/<name>.crt and <name>.key. */
  readonly name: string;
  /** The CA that signs it. */
  readonly ca: 'ca' | 'front-proxy-ca';
  readonly commonName: string;
  /** Kubernetes reads O as the user's groups. */
  readonly organization?: string;
  readonly usage: 'client' | 'server';
  readonly ipAddresses?: readonly string[];
  readonly dnsNames?: readonly string[];
}

export const CERTIFICATES: readonly Certificate[] = [
  {
    name: 'apiserver',
    ca: 'ca',
    commonName: 'kube-apiserver',
    usage: 'server',
    ipAddresses: [NODE_IP, KUBERNETES_SERVICE_IP, '127.0.0.1'],
    dnsNames: [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      `kubernetes.default.svc.${CLUSTER_DOMAIN}`,
    ],
  },
  // The API server talks to the kubelet (logs, exec, port-forward) as this user.
  {
    name: 'apiserver-kubelet-client',
    ca: 'ca',
    commonName: 'kube-apiserver-kubelet-client',
    organization: 'system:masters',
    usage: 'client',
  },
  { name: 'front-proxy-client', ca: 'front-proxy-ca', commonName: 'front-proxy-client', usage: 'client' },
  { name: 'admin', ca: 'ca', commonName: 'ricochet-admin', organization: 'system:masters', usage: 'client' },
  { name: 'controller-manager', ca: 'ca', commonName: 'system:kube-controller-manager', usage: 'client' },
  { name: 'scheduler', ca: 'ca', commonName: 'system:kube-scheduler', usage: 'client' },
  { name: 'kube-proxy', ca: 'ca', commonName: 'system:kube-proxy', usage: 'client' },
  // The node authorizer admits the kubelet by this exact user and group.
  {
    name: 'kubelet-client',
    ca: 'ca',
    commonName: `system:node:${NODE_NAME}`,
    organization: 'system:nodes',
    usage: 'client',
  },
  // Signed by the cluster CA (not self-signed), so the API server and metrics-server verify the kubelet.
  {
    name: 'kubelet-serving',
    ca: 'ca',
    commonName: NODE_NAME,
    usage: 'server',
    ipAddresses: [NODE_IP],
    dnsNames: [NODE_NAME],
  },
];

const DAYS = '365';

function newKey(path: string): void {
  runOk('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
}

function serial(): string {
  return `0x${randomBytes(16).toString('hex')}`;
}

/** The openssl extension section for a leaf certificate. */
export function extensions(certificate: Certificate): string {
  const names = [
    ...(certificate.ipAddresses ?? []).map((ip) => `IP:${ip}`),
    ...(certificate.dnsNames ?? []).map((dns) => `DNS:${dns}`),
  ];
  return [
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    `extendedKeyUsage = ${certificate.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    ...(names.length > 0 ? [`subjectAltName = ${names.join(', ')}`] : []),
    '',
  ].join('\n');
}

/** The -subj argument: O first, then CN, as openssl writes a distinguished name. */
export function subject(certificate: Pick<Certificate, 'commonName' | 'organization'>): string {
  return `${certificate.organization ? `/O=${certificate.organization}` : ''}/CN=${certificate.commonName}`;
}

function makeCa(pki: string, name: string, commonName: string): void {
  newKey(join(pki, `${name}.key`));
  runOk('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    join(pki, `${name}.key`),
    '-subj',
    `/CN=${commonName}`,
    '-days',
    '3650',
    '-set_serial',
    serial(),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    '-out',
    join(pki, `${name}.crt`),
  ]);
}

function makeLeaf(pki: string, certificate: Certificate): void {
  const base = join(pki, certificate.name);
  newKey(`${base}.key`);
  runOk('openssl', ['req', '-new', '-key', `${base}.key`, '-subj', subject(certificate), '-out', `${base}.csr`]);
  writeFileSync(`${base}.ext`, extensions(certificate));
  runOk('openssl', [
    'x509',
    '-req',
    '-in',
    `${base}.csr`,
    '-CA',
    join(pki, `${certificate.ca}.crt`),
    '-CAkey',
    join(pki, `${certificate.ca}.key`),
    '-set_serial',
    serial(),
    '-days',
    DAYS,
    '-extfile',
    `${base}.ext`,
    '-out',
    `${base}.crt`,
  ]);
  rmSync(`${base}.csr`);
  rmSync(`${base}.ext`);
}

/** Makes whatever is missing: both CAs, every certificate, and the service-account signing key pair. */
export function ensurePki(pki: string): void {
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  if (!existsSync(join(pki, 'ca.crt'))) makeCa(pki, 'ca', 'ricochet-cluster-ca');
  if (!existsSync(join(pki, 'front-proxy-ca.crt'))) makeCa(pki, 'front-proxy-ca', 'ricochet-front-proxy-ca');
  for (const certificate of CERTIFICATES) {
    if (!existsSync(join(pki, `${certificate.name}.crt`))) makeLeaf(pki, certificate);
  }
  if (!existsSync(join(pki, 'service-account.pub'))) {
    newKey(join(pki, 'service-account.key'));
    runOk('openssl', [
      'pkey',
      '-in',
      join(pki, 'service-account.key'),
      '-pubout',
      '-out',
      join(pki, 'service-account.pub'),
    ]);
  }
}
