/**
 * Account SAS enforcement (docs/mock.md "Diagnostic-settings feeds"; codes from
 * https://learn.microsoft.com/rest/api/storageservices/sas-error-codes): SAS tokens minted by the
 * unmodified @azure/storage-blob SDK with the account key are accepted when they allow the
 * operation and refused with the storage service's code for each way they do not.
 */
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  generateAccountSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServices, startMockServices } from '../../harness/mock/services.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { buildFixture } from '../helpers/dataset.js';

let svc: MockServices;
beforeAll(async () => {
  svc = await startMockServices({
    publication: buildFixture({ seed: 6, ual: 5, signIns: 30, graph: 20 }).publication,
    speed: parseSpeed('max'),
  });
  await svc.replay.done;
});
afterAll(async () => {
  await svc.close();
});

interface SasSpec {
  permissions?: string;
  services?: string;
  resourceTypes?: string;
  startsOn?: Date;
  expiresOn?: Date;
  protocol?: SASProtocol;
  ipRange?: { start: string; end?: string };
}

function sas(o: SasSpec = {}): string {
  const key = new StorageSharedKeyCredential(svc.identity.storageAccount, svc.identity.storageKey);
  return generateAccountSASQueryParameters(
    {
      permissions: AccountSASPermissions.parse(o.permissions ?? 'rl'),
      services: AccountSASServices.parse(o.services ?? 'b').toString(),
      resourceTypes: AccountSASResourceTypes.parse(o.resourceTypes ?? 'sco').toString(),
      expiresOn: o.expiresOn ?? new Date(Date.now() + 3600_000),
      ...(o.startsOn ? { startsOn: o.startsOn } : {}),
      ...(o.protocol ? { protocol: o.protocol } : {}),
      ...(o.ipRange ? { ipRange: o.ipRange } : {}),
    },
    key,
  ).toString();
}

/** list containers, list the first container's blobs, read its first blob: the first error's code, or 'ok' */
async function collect(query: string, what: 'containers' | 'blobs' | 'read' = 'read'): Promise<string> {
  const service = new BlobServiceClient(`${svc.urls.diagnostics}?${query}`, undefined, {
    retryOptions: { maxTries: 1 },
  });
  try {
    if (what === 'containers') {
      for await (const _ of service.listContainers());
      return 'ok';
    }
    const cc = service.getContainerClient('insights-logs-signinlogs');
    if (what === 'blobs') {
      for await (const _ of cc.listBlobsFlat());
      return 'ok';
    }
    const name = (await cc.listBlobsFlat().next()).value?.name as string;
    // reading needs only r and o: a SAS without l or c can still read a blob it is told the name of
    await new BlobServiceClient(`${svc.urls.diagnostics}?${query}`)
      .getContainerClient('insights-logs-signinlogs')
      .getBlobClient(name)
      .downloadToBuffer();
    return 'ok';
  } catch (e) {
    // a download's error body is not parsed: its code is in the x-ms-error-code header
    const err = e as { statusCode?: number; code?: string; details?: { errorCode?: string } };
    return `${err.statusCode} ${err.code ?? err.details?.errorCode}`;
  }
}

describe('account SAS', () => {
  it('the printed SAS and an SDK-minted one read everything', async () => {
    expect(await collect(svc.urls.diagnosticsSas)).toBe('ok');
    expect(await collect(svc.urls.diagnosticsSas, 'containers')).toBe('ok');
    expect(await collect(sas())).toBe('ok');
    expect(await collect(sas(), 'containers')).toBe('ok');
  });

  it('refuses a tampered SAS (a later expiry under the old signature): 403 AuthenticationFailed', async () => {
    const p = new URLSearchParams(svc.urls.diagnosticsSas);
    p.set('se', '2099-01-01T00:00:00Z');
    expect(await collect(p.toString(), 'containers')).toBe('403 AuthenticationFailed');
    const wrongKey = new URLSearchParams(sas());
    wrongKey.set('sig', Buffer.alloc(32, 1).toString('base64'));
    expect(await collect(wrongKey.toString(), 'containers')).toBe('403 AuthenticationFailed');
  });

  it('refuses an expired SAS and one not yet valid: 403 AuthenticationFailed', async () => {
    const hour = 3600_000;
    expect(await collect(sas({ expiresOn: new Date(Date.now() - hour) }), 'containers')).toBe(
      '403 AuthenticationFailed',
    );
    expect(
      await collect(
        sas({ startsOn: new Date(Date.now() + hour), expiresOn: new Date(Date.now() + 2 * hour) }),
        'containers',
      ),
    ).toBe('403 AuthenticationFailed');
  });

  it('refuses what sp does not permit: 403 AuthorizationPermissionMismatch', async () => {
    expect(await collect(sas({ permissions: 'r' }), 'blobs')).toBe('403 AuthorizationPermissionMismatch');
    expect(await collect(sas({ permissions: 'l' }))).toBe('403 AuthorizationPermissionMismatch');
  });

  it('refuses a SAS for another service: 403 AuthorizationServiceMismatch', async () => {
    expect(await collect(sas({ services: 'qt' }), 'containers')).toBe('403 AuthorizationServiceMismatch');
  });

  it('refuses a resource type srt does not name: 403 AuthorizationResourceTypeMismatch', async () => {
    expect(await collect(sas({ resourceTypes: 'co' }), 'containers')).toBe('403 AuthorizationResourceTypeMismatch');
    expect(await collect(sas({ resourceTypes: 'so' }), 'blobs')).toBe('403 AuthorizationResourceTypeMismatch');
    expect(await collect(sas({ resourceTypes: 'sc' }))).toBe('403 AuthorizationResourceTypeMismatch');
  });

  it('refuses plain HTTP under spr=https: 403 AuthorizationProtocolMismatch', async () => {
    expect(await collect(sas({ protocol: SASProtocol.Https }), 'containers')).toBe('403 AuthorizationProtocolMismatch');
  });

  it('refuses a source address outside sip: 403 AuthorizationSourceIPMismatch; inside is fine', async () => {
    expect(await collect(sas({ ipRange: { start: '10.0.0.1', end: '10.0.0.9' } }), 'containers')).toBe(
      '403 AuthorizationSourceIPMismatch',
    );
    expect(await collect(sas({ ipRange: { start: '127.0.0.1' } }), 'containers')).toBe('ok');
  });
});
