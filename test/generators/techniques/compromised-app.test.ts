// @module-tag slow
/**
 * compromised-app against the published facts: the credential event is a UAL RecordType 8
 * directory-audit record ("Add service principal credentials." / "Update application – Certificates
 * and secrets management "), in the Entra shape of samples/ual-8.jsonl, and it precedes the app-only
 * sign-ins with the new key and the app-only listing (ClientAuthMethod 1, roles, no user).
 */
import { describe, expect, it } from 'vitest';
import { bySource, ofActor, oneCampaign, props } from './campaign-helpers.js';

type Ual8 = {
  RecordType: number;
  Operation: string;
  ObjectId: string;
  ModifiedProperties: { Name: string; NewValue: string; OldValue: string }[];
  Target: { ID: string; Type: number }[];
  Actor: { ID: string; Type: number }[];
  ExtendedProperties: { Name: string; Value: string }[];
  CreationTime: string;
};

const sp = { actor: { kind: 'servicePrincipal' as const, name: null } };

describe('compromised-app', () => {
  for (const [credentialOn, op] of [
    ['servicePrincipal', 'Add service principal credentials.'],
    ['application', 'Update application – Certificates and secrets management '],
  ] as const) {
    it(`${credentialOn}: the RecordType 8 credential event precedes every app-only sign-in and request`, () => {
      const d = oneCampaign(
        'compromised-app',
        // 40 service principals: Microsoft's, the consented vendors', and the tenant's own registrations
        { ...sp, options: { credentialOn } },
        { servicePrincipals: 40 },
      );
      const mine = ofActor(d);
      const events = bySource(mine, 'ual').filter((r) => (r.record as Ual8).RecordType === 8);
      expect(events).toHaveLength(1);
      const ev = events[0] as (typeof events)[number];
      const rec = ev.record as Ual8;
      const spSignIns = bySource(mine, 'signIns').filter(
        (r) => (r.record as { category: string }).category === 'ServicePrincipalSignInLogs',
      );
      const appOnly = bySource(mine, 'graphActivity').filter((r) => props(r).clientAuthMethod === '1');
      expect(spSignIns.length).toBeGreaterThan(0);
      expect(appOnly.length).toBeGreaterThan(2);
      for (const r of [...spSignIns, ...appOnly]) expect(r.time).toBeGreaterThan(ev.time);
      // the new key in the audit event is the key the app signs in with
      const keyId = props(spSignIns[0] as (typeof spSignIns)[number]).servicePrincipalCredentialKeyId as string;
      const kd = rec.ModifiedProperties.find((m) => m.Name === 'KeyDescription');
      expect(kd?.NewValue).toContain(`KeyIdentifier=${keyId},KeyType=Password,KeyUsage=Verify`);
      expect(kd?.OldValue).not.toContain(keyId);
      expect(rec.ModifiedProperties.find((m) => m.Name === 'Included Updated Properties')?.NewValue).toBe(
        'KeyDescription',
      );
      expect(props(spSignIns[0] as (typeof spSignIns)[number]).clientCredentialType).toBe('clientSecret');
      // Entra shape (samples/ual-8.jsonl): PUID@domain actor key, Actor/Target lists, JSON text values
      expect(rec.Operation).toBe(op);
      if (credentialOn === 'servicePrincipal' || rec.ObjectId.startsWith('ServicePrincipal_')) {
        expect(rec.ObjectId).toMatch(/^(ServicePrincipal|Application)_[0-9a-f-]{36}$/);
      }
      expect(rec.Target.some((t) => t.Type === 1)).toBe(true);
      expect(rec.Actor.map((a) => a.Type)).toEqual([5, 3, 2, 2, 2]);
      expect(JSON.parse(rec.ExtendedProperties[0]?.Value as string)).toHaveProperty('User-Agent');
      expect(rec.CreationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      // app-only: the app's principal and roles, no user, no session; from the attacker's network
      for (const r of appOnly) {
        const p = props(r);
        expect('userId' in p).toBe(false); // app-only rows carry no userId key (graph-activity.ts)
        expect(p.servicePrincipalId).toBe(props(spSignIns[0] as (typeof spSignIns)[number]).servicePrincipalId);
        expect(String(p.roles)).toContain('Directory.Read.All');
        expect(p.C_Idtyp).toBe('app');
      }
      const c = d.truth.campaigns[0];
      expect(c?.ips).toContain(props(appOnly[0] as (typeof appOnly)[number]).ipAddress);
    });
  }

  it('the credential event is the only trace a UAL-only tenant keeps of the app-only listing', () => {
    const d = oneCampaign('compromised-app', sp, { collection: 'ual-only' });
    const ops = bySource(ofActor(d), 'ual').map((r) => (r.record as Ual8).Operation);
    expect(ops).toContain('Add service principal credentials.');
    expect(ops.every((o) => o === 'Add service principal credentials.' || o.startsWith('UserLog'))).toBe(true);
  });
});
