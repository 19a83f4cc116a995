/**
 * The tenant and the application a detector uses: ids and secrets printed by `serve` and handed
 * to `process:` detectors. Ids are seeded (stable run after run); the bench token is not seeded,
 * because detectors must never be able to derive it.
 */
import { randomBytes } from 'node:crypto';
import { rngStream } from '../../src/core/rng.js';

export interface MockIdentity {
  tenantId: string;
  /** tenant names accepted by the token endpoints besides the GUID */
  tenantNames: string[];
  clientId: string;
  clientSecret: string;
  /** the app's service principal object id (`oid`) */
  servicePrincipalId: string;
  /** storage account for the diagnostic-settings feeds */
  storageAccount: string;
  /** the storage account key (base64), for Shared Key clients and connection strings */
  storageKey: string;
  /** bench-only endpoints: never handed to a detector */
  benchToken: string;
}

/** The domain, and the initial `<name>.onmicrosoft.com` domain every tenant has besides a custom one. */
function tenantNames(domain: string | undefined): string[] {
  if (!domain) return [];
  const d = domain.toLowerCase();
  const initial = `${d.split('.')[0]}.onmicrosoft.com`;
  return d === initial ? [d] : [d, initial];
}

export function makeIdentity(seed: number, tenantId: string, domain?: string): MockIdentity {
  const r = rngStream(seed, 'mock', 'identity');
  const clientId = r.uuid();
  const secretChars = r.base64url(34).replace(/[-_]/g, '~');
  const servicePrincipalId = r.uuid();
  const storageAccount = `enumbenchdiag${r.hex(6)}`;
  // a draw once used for a fixed SAS signature (the SAS is now signed with the account key):
  // kept so that the account key drawn after it stays what it was
  r.hex(64);
  return {
    tenantId: tenantId.toLowerCase(),
    tenantNames: tenantNames(domain),
    clientId,
    clientSecret: `eNb8Q~${secretChars}`,
    servicePrincipalId,
    storageAccount,
    storageKey: Buffer.from(r.hex(128), 'hex').toString('base64'),
    benchToken: randomBytes(24).toString('base64url'),
  };
}
