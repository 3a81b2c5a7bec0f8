import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runOk } from './run';
import type { RegistryPaths } from './layout';

/**
 * A CA of the registry's own and a serving certificate it signs, made with openssl at the first `up`. Clients
 * trust the CA (RICOCHET_REGISTRY_CA_FILE), as they would a company's private CA: TLS, because the Terraform helm
 * provider pulls OCI charts over HTTPS only.
 */
export function serverExtensions(host: string): string {
  return [
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    'extendedKeyUsage = serverAuth',
    `subjectAltName = IP:${host}, DNS:localhost`,
    '',
  ].join('\n');
}

const serial = (): string => `0x${randomBytes(16).toString('hex')}`;
const newKey = (path: string): string =>
  runOk('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);

export function ensureTls(paths: RegistryPaths, host: string): void {
  const cert = join(paths.tls, 'server.crt');
  if (existsSync(paths.caCertificate) && existsSync(cert)) return;
  mkdirSync(paths.tls, { recursive: true, mode: 0o700 });
  mkdirSync(dirname(paths.caCertificate), { recursive: true });
  const caKey = join(paths.tls, 'ca.key');
  newKey(caKey);
  runOk('openssl', [
    ...['req', '-x509', '-new', '-key', caKey, '-subj', '/CN=ricochet-registry-ca', '-days', '3650'],
    ...['-set_serial', serial(), '-addext', 'basicConstraints=critical,CA:TRUE'],
    ...['-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', paths.caCertificate],
  ]);
  const key = join(paths.tls, 'server.key');
  newKey(key);
  runOk('openssl', ['req', '-new', '-key', key, '-subj', `/CN=${host}`, '-out', `${key}.csr`]);
  writeFileSync(`${key}.ext`, serverExtensions(host));
  runOk('openssl', [
    ...['x509', '-req', '-in', `${key}.csr`, '-CA', paths.caCertificate, '-CAkey', caKey],
    ...['-set_serial', serial(), '-days', '365', '-extfile', `${key}.ext`, '-out', cert],
  ]);
  // Nothing else is ever signed: the CA key goes, so a stolen state directory cannot mint certificates.
  for (const file of [caKey, `${key}.csr`, `${key}.ext`]) rmSync(file);
}
