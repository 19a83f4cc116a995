/**
 * RS256 JSON Web Tokens, as Entra ID issues them (v1 access tokens: iss https://sts.windows.net/{tid}/).
 * The key pair is a secret, not a seeded output: made when the services start, or kept across
 * runs of `serve` in its state directory (harness/mock/state.ts).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The key id: the SHA-1 of the public key, base64url (as Entra's `kid`/`x5t` name a key by a thumbprint). */
function keyId(publicKey: KeyObject): string {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: keyId(publicKey), privateKey, publicKey };
}

/** A signing key kept across runs (harness/mock/state.ts): its private key as PKCS#8 PEM. */
export function signingKeyFromPem(kid: string, pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  return { kid, privateKey, publicKey: createPublicKey(privateKey) };
}

export function signingKeyPem(key: SigningKey): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString('base64url');
}

export function signJwt(payload: Record<string, unknown>, key: SigningKey): string {
  const header = { typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const sig = createSign('RSA-SHA256').update(input).sign(key.privateKey);
  return `${input}.${b64url(sig)}`;
}

/** The payload when the signature is ours; undefined for anything else (never throws). */
export function verifyJwt(token: string, key: SigningKey): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'RS256') return undefined;
    const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key.publicKey, Buffer.from(s, 'base64url'));
    if (!ok) return undefined;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function jwk(key: SigningKey): Record<string, unknown> {
  const j = key.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n: j.n, e: j.e };
}
