// @module-tag slow
/**
 * Conformance on Microsoft's own names (docs/mock.md "Collectors that cannot change their URLs"):
 * one HTTPS listener answers login.microsoftonline.com, manage.office.com and
 * <account>.blob.core.windows.net, each with its own routes and errors. Unmodified clients run in
 * a child process whose name resolution the test controls (fixtures/map-hosts.mjs: the names and
 * port 443 lead to the mock's loopback port; no hosts file is touched).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockServices } from '../../harness/mock/services.js';
import { makeClientCertificate } from '../../harness/mock/tls.js';
import { TENANT } from '../helpers/dataset.js';
import { runMapped, startOnStandardNames } from '../helpers/standard-hosts.js';

let svc: MockServices | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

describe('one listener, every Microsoft name', () => {
  it('serves login, the API and storage on their own names, each answering in its own format', async () => {
    const started = await startOnStandardNames();
    svc = started.svc;
    // the printed URLs are Microsoft's
    expect(svc.urls.login).toBe('https://login.microsoftonline.com');
    expect(svc.urls.management).toBe('https://manage.office.com');
    expect(svc.urls.diagnostics).toBe(`https://${svc.identity.storageAccount}.blob.core.windows.net`);
    const out = JSON.parse(
      await runMapped(svc, started.caFile, 'standard-hosts.mjs', {
        tenantId: TENANT,
        tenantName: 'contoso.onmicrosoft.com',
        clientId: svc.identity.clientId,
        clientSecret: svc.identity.clientSecret,
        account: svc.identity.storageAccount,
        sas: svc.urls.diagnosticsSas,
      }),
    );
    // MSAL with the tenant's domain as authority (found in the dataset directory's records)
    expect(out.claims.tid).toBe(TENANT);
    expect(out.claims.aud).toBe('https://manage.office.com');
    expect(out.list).toEqual({ status: 200, body: '[]' });
    // login metadata names the login host, never the API's
    expect(out.openid.token_endpoint).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
    expect(out.openid.issuer).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0`);
    // the API's name does not hand out tokens; the login name does not serve the API
    expect(out.tokenAtApi.status).toBe(404);
    expect(out.tokenAtApi.body).not.toContain('access_token');
    expect(out.apiAtLogin.status).toBe(404);
    expect(out.apiAtLogin.body).not.toContain('[]');
    // storage answers as storage: XML with x-ms-error-code, never a JSON 404 of another service
    expect(out.storageMissing.status).toBe(404);
    expect(out.storageMissing.code).toBe('ContainerNotFound');
    expect(out.storageMissing.body).toContain('<Code>ContainerNotFound</Code>');
    expect(out.storageAtRoot.type).toContain('application/xml');
    expect(out.storageAtRoot.body).toMatch(/^\uFEFF?<\?xml/);
    // @azure/storage-blob reads every line on the account's own name
    expect(out.containers.length).toBeGreaterThan(0);
    expect(out.lines).toBe(started.lines);
  });

  it('a client certificate must be the registered one (MSAL, SHA-256 and SHA-1 thumbprints)', async () => {
    const started = await startOnStandardNames(7);
    svc = started.svc;
    const mine = started.state.clientCertificate;
    const other = makeClientCertificate(new Date());
    const sha = (pem: string, alg: string) => createHash(alg).update(new X509Certificate(pem).raw).digest('hex');
    const out = JSON.parse(
      await runMapped(svc, started.caFile, 'msal-certificate.mjs', {
        tenantName: 'contoso.onmicrosoft.com',
        clientId: svc.identity.clientId,
        certificates: [
          { thumbprintSha256: sha(mine.cert, 'sha256'), privateKey: mine.key },
          { thumbprint: sha(mine.cert, 'sha1'), privateKey: mine.key },
          { thumbprintSha256: sha(other.cert, 'sha256'), privateKey: other.key },
          // the registered certificate's thumbprint, signed with another key
          { thumbprintSha256: sha(mine.cert, 'sha256'), privateKey: other.key },
        ],
      }),
    ) as { claims?: { tid: string; appidacr: string }; error?: string; message?: string }[];
    expect(out[0]?.claims?.tid).toBe(TENANT);
    expect(out[0]?.claims?.appidacr).toBe('2');
    expect(out[1]?.claims?.tid).toBe(TENANT);
    expect(out[2]?.error).toBe('invalid_client');
    expect(out[2]?.message).toContain('AADSTS700027');
    expect(out[2]?.message).toContain('not registered');
    expect(out[3]?.error).toBe('invalid_client');
    expect(out[3]?.message).toContain('AADSTS700027: Client assertion contains an invalid signature.');
  });
});
