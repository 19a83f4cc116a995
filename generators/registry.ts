/**
 * The explicit registries of benign profiles and attack techniques. Adding one is adding its
 * module file and one line here — never an import side effect (STYLE.md 3).
 */

import { adminPortal } from './profiles/admin-portal.js';
import { adminReport } from './profiles/admin-report.js';
import { backupApp } from './profiles/backup-app.js';
import { directorySync } from './profiles/directory-sync.js';
import { governanceApp } from './profiles/governance-app.js';
import { helpdesk } from './profiles/helpdesk.js';
import { hrProvisioning } from './profiles/hr-provisioning.js';
import { licenseScript } from './profiles/license-script.js';
import { workforce } from './profiles/workforce.js';
import type { ProfileModule, TechniqueModule } from './registry-types.js';
import { graphUserListing } from './techniques/graph-user-listing.js';

export type {
  Actor,
  CampaignFacts,
  GeneratorModule,
  ProfileModule,
  StreamItem,
  TechniqueModule,
} from './registry-types.js';

export const PROFILES: readonly ProfileModule[] = [
  workforce,
  directorySync,
  helpdesk,
  adminReport,
  adminPortal,
  backupApp,
  governanceApp,
  hrProvisioning,
  licenseScript,
];

export const TECHNIQUES: readonly TechniqueModule[] = [graphUserListing];

export function findProfile(id: string): ProfileModule | undefined {
  return PROFILES.find((p) => p.info.id === id);
}

export function findTechnique(id: string): TechniqueModule | undefined {
  return TECHNIQUES.find((t) => t.info.id === id);
}
