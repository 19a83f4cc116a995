/**
 * Directory objects derived from the world plan for the tools that enumerate the whole directory
 * (AzureHound, ROADrecon, GraphRunner): devices as a flat list with their Entra object ids and
 * registered owner, application registrations, built-in role definitions, and per-object fan-out
 * facts (owners, app role assignments). Derived without consuming any RNG stream (cheap integer
 * hashes of the world seed and object ids), memoised per world, so every actor and every shard
 * sees the same directory and adding this view changes no other record.
 *
 * Calibration [U, telemetry.md §6 "Assumed tenant"]: a 10k-user tenant holds ~1.5k service
 * principals of which ~400 are the tenant's own app registrations (the rest are Microsoft and
 * multi-tenant apps). The world plan's `tenantApp` service principals stand for both, so about 27%
 * of them are taken as app registrations with an application object.
 */
import { DIRECTORY_ROLES } from '../../src/core/directory-roles.js';
import { hashString, mix32 } from './hash.js';
import type { Device, Group, ServicePrincipal, User, World } from './types.js';

export interface DirectoryDevice {
  /** Entra device *object* id (what /devices/{id} takes; not the deviceId claim) */
  objectId: string;
  device: Device;
  owner: User;
}

export interface DirectoryApplication {
  objectId: string;
  sp: ServicePrincipal;
  owners: number;
  federatedCredentials: number;
}

export interface RoleDefinition {
  id: string;
  displayName: string;
  /** users holding it in this world (0 for most) */
  holders: number;
  /** eligible (PIM) assignments [U] */
  eligible: number;
}

export interface Directory {
  devices: DirectoryDevice[];
  applications: DirectoryApplication[];
  roleDefinitions: RoleDefinition[];
  /** owners per group (index-aligned with world.groups) */
  groupOwners: Uint8Array;
  /** owners and app role assignments per service principal (index-aligned) */
  spOwners: Uint8Array;
  spAssignments: Uint16Array;
}

/** Share of tenantApp service principals that are app registrations of this tenant [U]. */
export const APP_REGISTRATION_SHARE = 0.27;
/** Built-in role definitions Graph returns for a tenant (≈130 in 2026) [U, telemetry.md §6]. */
export const BUILT_IN_ROLE_DEFINITIONS = 131;

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex8(x: number): string {
  return (
    (HEX[x >>> 24] as string) +
    (HEX[(x >>> 16) & 255] as string) +
    (HEX[(x >>> 8) & 255] as string) +
    (HEX[x & 255] as string)
  );
}

/** A GUID (version-4 shaped) from integer hashes: stable, cheap, no RNG stream consumed. */
export function hashGuid(a: number, b: number, c: number): string {
  const h1 = mix32(a, b, c ^ 0x1b873593);
  const h2 = mix32(h1, a ^ 0x27d4eb2f, c);
  const h3 = mix32(h2, b ^ 0x165667b1, a);
  const h4 = mix32(h3, c ^ 0x9e3779b9, b);
  const s2 = hex8(h2);
  const s3 = hex8(h3);
  return `${hex8(h1)}-${s2.slice(0, 4)}-4${s2.slice(5, 8)}-${'89ab'[h3 & 3]}${s3.slice(1, 4)}-${s3.slice(4, 8)}${hex8(h4)}`;
}

const cache = new WeakMap<World, Directory>();

export function directoryOf(world: World): Directory {
  const hit = cache.get(world);
  if (hit) return hit;
  const seed = world.seed >>> 0;
  const devices: DirectoryDevice[] = [];
  for (const u of world.users) {
    u.devices.forEach((d, i) => {
      devices.push({ objectId: hashGuid(seed, hashString(d.id), 0xdee1 + i), device: d, owner: u });
    });
  }
  const applications: DirectoryApplication[] = [];
  for (const sp of world.servicePrincipals) {
    if (sp.kind !== 'tenantApp') continue;
    const h = mix32(seed, hashString(sp.id), 0xa99);
    if (h % 1000 >= APP_REGISTRATION_SHARE * 1000) continue;
    applications.push({
      objectId: hashGuid(seed, hashString(sp.appId), 0xa990),
      sp,
      owners: (h >>> 10) % 3,
      federatedCredentials: (h >>> 14) % 10 === 0 ? 1 : 0,
    });
  }
  const roleDefinitions: RoleDefinition[] = [];
  for (const role of DIRECTORY_ROLES) {
    const holders = world.roleHolders.get(role.name)?.length ?? 0;
    roleDefinitions.push({
      id: role.templateId,
      displayName: role.name,
      holders,
      eligible: role.privileged ? mix32(seed, hashString(role.templateId)) % 3 : 0,
    });
  }
  // the other built-in roles: template ids are global, so derived from a fixed key, not the seed
  for (let i = roleDefinitions.length; i < BUILT_IN_ROLE_DEFINITIONS; i++) {
    roleDefinitions.push({
      id: hashGuid(0x0b1e, i, 0x7e3),
      displayName: `Built-in role ${i}`,
      holders: 0,
      eligible: 0,
    });
  }
  const groupOwners = new Uint8Array(world.groups.length);
  world.groups.forEach((g: Group, i) => {
    const h = mix32(seed, hashString(g.id), 0x0e);
    groupOwners[i] = g.kind === 'unified' ? 1 + (h % 3) : h % 4 === 0 ? 1 : 0;
  });
  const spOwners = new Uint8Array(world.servicePrincipals.length);
  const spAssignments = new Uint16Array(world.servicePrincipals.length);
  world.servicePrincipals.forEach((sp, i) => {
    const h = mix32(seed, hashString(sp.id), 0x5b);
    spOwners[i] = sp.kind === 'tenantApp' ? h % 3 : 0;
    spAssignments[i] = sp.kind === 'firstParty' ? 0 : h % 5 === 0 ? 1 + ((h >>> 8) % 40) : 0;
  });
  const dir: Directory = { devices, applications, roleDefinitions, groupOwners, spOwners, spAssignments };
  cache.set(world, dir);
  return dir;
}
