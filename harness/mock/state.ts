/**
 * What `serve` keeps between runs of the same dataset (docs/mock.md "Keys across restarts"): the
 * token signing key, the client secret and the HTTPS certificates, in `state.json` of the state
 * directory (`--state-dir`, default `<--out>/serve-state/<scenario>/seed-<n>/`), readable by its
 * owner only. A token a collector cached before a restart stays valid until it expires, as a real
 * one does; `--rotate-keys` replaces everything (new key, new secret, new CA).
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '../../src/core/errors.js';
import { writeFileAtomic } from '../output-files.js';
import { newSigningKey, type SigningKey, signingKeyFromPem, signingKeyPem } from './jwt.js';
import { type LocalCa, makeClientCertificate, makeLocalCa } from './tls.js';

export const STATE_FILE = 'state.json';
const FORMAT = 1;
/** certificates are renewed when they have less than this left */
const RENEW_BEFORE_MS = 86_400_000;

interface StateFile {
  format: number;
  signingKey: { kid: string; pem: string };
  clientSecret: string;
  tls?: Omit<LocalCa, 'notAfter'> & { notAfter: string };
  /** the app's registered certificate and its private key (PEM) */
  clientCertificate?: { cert: string; key: string };
}

export interface ServeState {
  dir: string;
  signingKey: SigningKey;
  clientSecret: string;
  tls?: LocalCa;
  /** the app's certificate credential: `certificate.pem` in the state directory holds its key and certificate */
  clientCertificate: { cert: string; key: string; file: string };
  /** what was made this run (empty: everything reused) */
  made: ('signing key' | 'client secret' | 'certificates' | 'client certificate')[];
}

export interface ServeStateOptions {
  /** the dataset's seeded secret: the first run's secret, so a fresh state prints what it always did */
  seededSecret: string;
  https: boolean;
  rotate: boolean;
  now: Date;
}

function read(file: string): StateFile {
  let s: Partial<StateFile>;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as Partial<StateFile>;
  } catch (e) {
    throw userError(
      'E_STATE',
      `${file}: not a readable state file (${(e as Error).message})`,
      'pass --rotate-keys to replace it (cached tokens become invalid), or another --state-dir',
    );
  }
  if (
    s.format !== FORMAT ||
    typeof s.clientSecret !== 'string' ||
    typeof s.signingKey?.kid !== 'string' ||
    typeof s.signingKey?.pem !== 'string'
  )
    throw userError(
      'E_STATE',
      `${file}: not a state file of this version of enumbench`,
      'pass --rotate-keys to replace it (cached tokens become invalid), or another --state-dir',
    );
  return s as StateFile;
}

/** The SHA-1 thumbprint of a certificate (PEM), upper-case hex: what portals show and MSAL's `thumbprint` takes. */
export function certificateThumbprint(pem: string): string {
  return createHash('sha1').update(new X509Certificate(pem).raw).digest('hex').toUpperCase();
}

/** Keys and certificates from the state directory, made (and saved) where missing, expiring or rotated. */
export function loadServeState(dir: string, o: ServeStateOptions): ServeState {
  const file = join(dir, STATE_FILE);
  const old = !o.rotate && existsSync(file) ? read(file) : undefined;
  const made: ServeState['made'] = [];
  let signingKey: SigningKey;
  try {
    signingKey = old ? signingKeyFromPem(old.signingKey.kid, old.signingKey.pem) : newSigningKey();
  } catch (e) {
    throw userError(
      'E_STATE',
      `${file}: the signing key cannot be read (${(e as Error).message})`,
      'pass --rotate-keys to replace it',
    );
  }
  if (!old) made.push('signing key');
  // a rotated secret is random: the seeded one is derivable from the dataset
  const clientSecret =
    old?.clientSecret ?? (o.rotate ? `eNb8Q~${randomBytes(26).toString('base64url')}` : o.seededSecret);
  if (!old) made.push('client secret');
  let tls = old?.tls;
  if (o.https && (!tls || Date.parse(tls.notAfter) - o.now.getTime() < RENEW_BEFORE_MS)) {
    const ca = makeLocalCa(undefined, o.now);
    tls = { caCert: ca.caCert, cert: ca.cert, key: ca.key, notAfter: ca.notAfter.toISOString() };
    made.push('certificates');
  }
  let clientCertificate = old?.clientCertificate;
  if (!clientCertificate) {
    clientCertificate = makeClientCertificate(o.now);
    made.push('client certificate');
  }
  const certFile = join(dir, 'certificate.pem');
  if (made.length > 0) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const state: StateFile = {
      format: FORMAT,
      signingKey: { kid: signingKey.kid, pem: signingKeyPem(signingKey) },
      clientSecret,
      ...(tls ? { tls } : {}),
      clientCertificate,
    };
    writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, 0o600);
  }
  // the private key and the certificate, as certificate credentials (MSAL, azure-identity) read them
  if (made.length > 0 || !existsSync(certFile))
    writeFileAtomic(certFile, `${clientCertificate.key}${clientCertificate.cert}`, 0o600);
  return {
    dir,
    signingKey,
    clientSecret,
    ...(tls ? { tls: { caCert: tls.caCert, cert: tls.cert, key: tls.key, notAfter: new Date(tls.notAfter) } } : {}),
    clientCertificate: { ...clientCertificate, file: certFile },
    made,
  };
}
