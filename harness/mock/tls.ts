/**
 * Optional HTTPS: a locally generated CA and a server certificate for the names collectors use
 * (manage.office.com, login.microsoftonline.com, *.blob.core.windows.net, localhost, 127.0.0.1),
 * so a collector that cannot change its URLs can be pointed at the mock by host mapping and
 * trust the CA (NODE_EXTRA_CA_CERTS, the system store, or its own option).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface LocalCa {
  caCert: string;
  cert: string;
  key: string;
  /** when the certificates stop being valid */
  notAfter: Date;
}

export const DEFAULT_TLS_NAMES = [
  'manage.office.com',
  'login.microsoftonline.com',
  'login.windows.net',
  '*.blob.core.windows.net',
  'localhost',
  '127.0.0.1',
];

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const priv = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { privateKey: priv, publicKey: pub, pem: privateKey };
}

export function makeLocalCa(names: readonly string[] = DEFAULT_TLS_NAMES, notBefore: Date, days = 30): LocalCa {
  const ca = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  caCert.validity.notBefore = new Date(notBefore.getTime() - 3600_000);
  caCert.validity.notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const caName = [
    { name: 'commonName', value: 'enumbench local CA' },
    { name: 'organizationName', value: 'enumbench' },
  ];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const leaf = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = leaf.publicKey;
  cert.serialNumber = `02${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = caCert.validity.notBefore;
  cert.validity.notAfter = caCert.validity.notAfter;
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: names.map((n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return {
    caCert: forge.pki.certificateToPem(caCert),
    cert: forge.pki.certificateToPem(cert),
    key: leaf.pem,
    notAfter: cert.validity.notAfter,
  };
}

/** A self-signed certificate for the app's certificate credential (registered with the mock's login). */
export function makeClientCertificate(notBefore: Date, days = 365): { cert: string; key: string } {
  const k = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = k.publicKey;
  cert.serialNumber = `03${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(notBefore.getTime() - 3600_000);
  cert.validity.notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const name = [{ name: 'commonName', value: 'enumbench collector' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(k.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: k.pem };
}
