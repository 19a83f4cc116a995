// @module-tag slow
/**
 * Keys across a restart, and Entra tokens for storage (docs/mock.md "Keys across restarts",
 * "Diagnostic-settings feeds"): an unmodified @azure/identity ClientSecretCredential, with
 * @azure/storage-blob on `<account>.blob.core.windows.net` and the Management Activity API on
 * manage.office.com, keeps using the tokens it cached after the mock restarts on the same state
 * directory; without a data role storage answers 403 AuthorizationPermissionMismatch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MockServices } from '../../harness/mock/services.js';
import { TENANT } from '../helpers/dataset.js';
import { type StandardNames, spawnMapped, startAgain, startOnStandardNames } from '../helpers/standard-hosts.js';

const running: MockServices[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
});

function clientArg(s: StandardNames, rounds: number) {
  return {
    tenantId: TENANT,
    tenantName: 'contoso.onmicrosoft.com',
    clientId: s.svc.identity.clientId,
    clientSecret: s.svc.identity.clientSecret,
    account: s.svc.identity.storageAccount,
    rounds,
  };
}

describe('a restart between token and use', () => {
  it('cached tokens stay valid: storage and the API answer, and no new token is asked for', async () => {
    const first = await startOnStandardNames(4);
    running.push(first.svc);
    const client = spawnMapped(first.svc, first.caFile, 'cached-credential.mjs', clientArg(first, 2));
    try {
      const before = await client.next();
      expect(before.storage).toEqual({ lines: first.lines });
      expect(before.api).toEqual({ status: 200, body: '[]' });
      expect(first.svc.tokensIssued()).toBe(2); // storage and the API

      const port = Number(new URL(first.svc.listening.api).port);
      await first.svc.close();
      running.pop();
      const second = await startAgain(first.dataset, first.state.dir, first.lines, { port });
      running.push(second.svc);
      expect(second.state.made).toEqual([]);
      expect(second.svc.identity.clientSecret).toBe(first.svc.identity.clientSecret);

      client.go();
      const after = await client.next();
      expect(after.storage).toEqual({ lines: first.lines });
      expect(after.api).toEqual({ status: 200, body: '[]' });
      expect(second.svc.tokensIssued()).toBe(0);
    } finally {
      client.child.kill();
    }
  });

  it('storage without a data role: a valid token gets 403 AuthorizationPermissionMismatch; the API still answers', async () => {
    const s = await startOnStandardNames(5, { storageRole: 'none' });
    running.push(s.svc);
    const client = spawnMapped(s.svc, s.caFile, 'cached-credential.mjs', clientArg(s, 1));
    try {
      const r = await client.next();
      expect(r.storage).toMatchObject({ status: 403, code: 'AuthorizationPermissionMismatch' });
      expect(r.api).toEqual({ status: 200, body: '[]' });
    } finally {
      client.child.kill();
    }
  });
});
