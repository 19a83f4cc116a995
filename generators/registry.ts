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
import { azurehound } from './techniques/azurehound.js';
import { compromisedApp } from './techniques/compromised-app.js';
import { exoPowershellRecon } from './techniques/exo-powershell-recon.js';
import { galDump } from './techniques/gal-dump.js';
import { graphUserListing } from './techniques/graph-user-listing.js';
import { graphrunner } from './techniques/graphrunner.js';
import { insiderAdmin } from './techniques/insider-admin.js';
import { roadrecon } from './techniques/roadrecon.js';
import { teamfiltration } from './techniques/teamfiltration.js';
import { tokenReplay } from './techniques/token-replay.js';

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

export const TECHNIQUES: readonly TechniqueModule[] = [
  graphUserListing,
  azurehound,
  roadrecon,
  graphrunner,
  teamfiltration,
  exoPowershellRecon,
  galDump,
  tokenReplay,
  compromisedApp,
  insiderAdmin,
];

export function findProfile(id: string): ProfileModule | undefined {
  return PROFILES.find((p) => p.info.id === id);
}

export function findTechnique(id: string): TechniqueModule | undefined {
  return TECHNIQUES.find((t) => t.info.id === id);
}
