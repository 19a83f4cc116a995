/**
 * What every actor stream receives: the world plan, the scenario, which sources the tenant
 * collects, and a record kit that turns domain events (a sign-in, a Graph request, a cmdlet) into
 * the records of every source that would show them. Actors never write fields by hand, so benign
 * and malicious records come out of the same builders (key order, id formats, null vs missing).
 */
import type { Label, LabelledRecord } from '../../src/core/records.js';
import type { Rng } from '../../src/core/rng.js';
import type { SourceId } from '../../src/core/sources.js';
import type { Scenario, SignInMethod } from '../../src/scenario/types.js';
import {
  type AadGraphRequestInput,
  aadGraphActivityDiagLine,
  clientLibraryOf,
  estsRequestId,
  exchangeCmdletAudited,
  exchangeRecordId,
  failureReasonFor,
  type GraphCall,
  type GraphTenant,
  graphActivityDiagLine,
  graphTenant,
  SENDS_CLIENT_REQUEST_ID,
  type SignInCategory,
  type SignInInput,
  scriptBlock4104,
  scriptBlockRecordId,
  signInDiag,
  signInDiagLine,
  type UalDirectoryChangeInput,
  type UalLogonInput,
  type UalTenant,
  ualBrowserOf,
  ualDirectoryChange,
  ualExchangeAdmin,
  ualLogon,
  ualLogonErrorFor,
  ualOsOf,
  utiOf,
} from '../records/index.js';
import { DeferredRecord, SerialisedRecord } from '../records/serialised.js';
import { evaluateSignIn, type SignInOutcome } from '../sessions/auth.js';
import { MICROSOFT_TENANT_ID } from '../world/apps.js';
import { mix32 } from '../world/hash.js';
import type { NetworkPoint } from '../world/networks.js';
import type { Device, ServicePrincipal, User, World } from '../world/types.js';

/** Share of interactive sign-ins that also reach the UAL as RecordType 15 [U: calibrated guess]. */
export const UAL_SHARE_INTERACTIVE = 0.85;
/** Share of non-interactive sign-ins that reach the UAL as RecordType 15 [U]. */
export const UAL_SHARE_NON_INTERACTIVE = 0.03;
/** Share of non-interactive sign-in rows that the sign-in log itself carries twice (new `id`, same token) [U]. */
export const SIGNIN_DUPLICATE_SHARE = 0.02;

export interface GenEnv {
  world: World;
  scenario: Scenario;
  seed: number;
  /** collected sources */
  collects: Readonly<Record<SourceId, boolean>>;
  hypotheses: readonly string[];
  /** records are produced for event times in [from, to) */
  from: number;
  to: number;
  kit: RecordKit;
}

export function makeEnv(world: World, scenario: Scenario, seed: number): GenEnv {
  const collects: Record<SourceId, boolean> = {
    ual: false,
    graphActivity: false,
    signIns: false,
    aadGraphActivity: false,
    endpointPowerShell: false,
  };
  for (const s of scenario.telemetry.sources) collects[s] = true;
  const env: GenEnv = {
    world,
    scenario,
    seed,
    collects,
    hypotheses: scenario.telemetry.hypotheses,
    from: scenario.time.historyStart,
    to: scenario.time.end,
    kit: undefined as unknown as RecordKit,
  };
  env.kit = new RecordKit(env);
  return env;
}

export interface Token {
  uti: string;
  iat: number;
  exp: number;
  sid: string | null;
  appId: string;
}

export interface SignInSpec {
  time: number;
  category: SignInCategory;
  user: User | null;
  sp?: ServicePrincipal | null;
  appId: string;
  appDisplayName: string;
  resource: { id: string; displayName: string };
  point: NetworkPoint;
  ip: string;
  device: Device | null;
  userAgent: string;
  clientAppUsed: string;
  method: SignInMethod;
  mfaInSession: boolean;
  sid: string | null;
  /** token lifetime in ms (default 60–90 min) */
  lifetime?: number;
  /** a known failure (AADSTS code): the row fails with it (generators/sessions/failures.ts) */
  failWith?: number;
  /** a legacy-protocol client: "Block legacy authentication" applies */
  legacy?: boolean;
  /** the user is outside the tenant's MFA policy (its exclusions): only the admins' and risk policies can ask for MFA */
  mfaExempt?: boolean;
}

export interface SignInResult {
  token: Token;
  outcome: SignInOutcome | null;
  records: LabelledRecord[];
  ok: boolean;
}

const EMPTY_RISK: string[] = [];

/** A sign-in row, serialised directly when written (signInDiagLine) unless someone reads `record`. */
function signInRecord(input: SignInInput, label: Label): LabelledRecord {
  return new DeferredRecord('signIns', input.time, input.id, input.category, label, input, signInDiag, signInDiagLine);
}

/** Builds records for every collected source from domain events, with the actor's RNG and label. */
export class RecordKit {
  readonly graph: GraphTenant;
  readonly ual: UalTenant;
  /** each campaign label's context twin, made once (the splitter caches per label object) */
  private readonly contextLabels = new WeakMap<Label, Label>();
  constructor(readonly env: GenEnv) {
    this.graph = graphTenant(env.world.tenantId);
    this.ual = { tenantId: env.world.tenantId, domain: env.world.domain };
  }

  /**
   * The label of a campaign's attacker context (records that are not the technique itself: its
   * sign-ins); a benign label or a context label is returned as it is.
   */
  contextOf(label: Label): Label {
    if (!label.campaign || label.context) return label;
    let c = this.contextLabels.get(label);
    if (!c) {
      c = { ...label, context: true };
      this.contextLabels.set(label, c);
    }
    return c;
  }

  /**
   * A sign-in: the sign-in row(s), the UAL 15 record when the UAL carries it, and the token it
   * minted. A campaign's sign-ins are attacker context, never evidence of its technique.
   */
  signIn(rng: Rng, given: Label, s: SignInSpec): SignInResult {
    const label = this.contextOf(given);
    const env = this.env;
    const world = env.world;
    const sp = s.sp ?? null;
    const records: LabelledRecord[] = [];
    const id = estsRequestId(rng);
    // the token's uti is the id of the request that minted it (common.ts utiOf)
    const token: Token = {
      uti: utiOf(id),
      iat: s.time,
      exp: s.time + (s.lifetime ?? rng.int(60, 90) * 60_000),
      sid: s.sid,
      appId: s.appId,
    };
    let outcome: SignInOutcome | null = null;
    const correlationId = rng.uuid();
    const ticks = rng.int(0, 9999);
    if (sp) {
      if (env.collects.signIns) {
        const input: SignInInput = {
          category: 'ServicePrincipalSignInLogs',
          time: s.time,
          ticks,
          id,
          correlationId,
          originalRequestId: id,
          userDisplayName: null,
          userPrincipalName: null,
          userId: null,
          userType: null,
          servicePrincipalId: sp.id,
          servicePrincipalName: sp.displayName,
          appId: sp.appId,
          appDisplayName: sp.displayName,
          resourceId: s.resource.id,
          resourceDisplayName: s.resource.displayName,
          resourceTenantId: MICROSOFT_TENANT_ID,
          ip: s.ip,
          asn: s.point.asn,
          country: s.point.country,
          city: s.point.city,
          state: s.point.state,
          lat: s.point.lat,
          lon: s.point.lon,
          trustedNetwork: false,
          deviceId: '',
          deviceDisplayName: '',
          operatingSystem: '',
          browser: '',
          isCompliant: false,
          isManaged: false,
          trustType: '',
          userAgent: '',
          clientAppUsed: '',
          errorCode: 0,
          failureReason: '',
          conditionalAccessStatus: 'notApplied',
          appliedPolicies: [],
          authenticationRequirement: 'singleFactorAuthentication',
          authSteps: [],
          authenticationProtocol: 'none',
          incomingTokenType: 'none',
          riskLevelDuringSignIn: 'none',
          riskLevelAggregated: 'none',
          riskState: 'none',
          riskDetail: 'none',
          riskEventTypes: EMPTY_RISK,
          processingTimeMs: 0,
          uniqueTokenIdentifier: token.uti,
          sessionId: null,
          clientCredentialType: sp.credential === 'certificate' ? 'clientAssertion' : 'clientSecret',
          credentialKeyId: sp.keyId,
          tenantId: world.tenantId,
        };
        records.push(signInRecord(input, label));
      }
      return { token, outcome, records, ok: true };
    }
    const user = s.user as User;
    outcome = evaluateSignIn(
      world.policy,
      {
        user,
        network: s.point.kind,
        ip: s.ip,
        method: s.method,
        interactive: s.category === 'SignInLogs',
        managedDevice: Boolean(s.device?.isManaged),
        mfaInSession: s.mfaInSession,
        failWith: s.failWith,
        legacy: s.legacy,
        mfaExempt: s.mfaExempt,
      },
      rng,
    );
    const ok = outcome.errorCode === 0;
    const dev = s.device;
    if (env.collects.signIns) {
      const base = {
        category: s.category,
        time: s.time,
        ticks,
        id,
        correlationId,
        originalRequestId: id,
        userDisplayName: user.displayName,
        userPrincipalName: user.upn,
        userId: user.id,
        userType: user.kind === 'guest' ? ('Guest' as const) : ('Member' as const),
        servicePrincipalId: null,
        servicePrincipalName: null,
        appId: s.appId,
        appDisplayName: s.appDisplayName,
        resourceId: s.resource.id,
        resourceDisplayName: s.resource.displayName,
        resourceTenantId: MICROSOFT_TENANT_ID,
        ip: s.ip,
        asn: s.point.asn,
        country: s.point.country,
        city: s.point.city,
        state: s.point.state,
        lat: s.point.lat,
        lon: s.point.lon,
        trustedNetwork: outcome.trustedNetwork,
        deviceId: dev?.id ?? '',
        deviceDisplayName: dev?.displayName ?? '',
        operatingSystem: dev?.operatingSystem ?? guessOs(s.userAgent),
        browser: dev?.browser ?? guessBrowser(s.userAgent),
        isCompliant: dev?.isCompliant ?? false,
        isManaged: dev?.isManaged ?? false,
        trustType: dev?.trustType ?? '',
        userAgent: s.userAgent,
        clientAppUsed: s.clientAppUsed,
        errorCode: outcome.errorCode,
        failureReason: ok ? '' : failureReasonFor(outcome.errorCode),
        conditionalAccessStatus: outcome.conditionalAccessStatus,
        appliedPolicies: outcome.appliedPolicies,
        authenticationRequirement: outcome.authenticationRequirement,
        authSteps: outcome.authSteps,
        authenticationProtocol: outcome.authenticationProtocol,
        incomingTokenType: outcome.incomingTokenType,
        riskLevelDuringSignIn: outcome.riskLevelDuringSignIn,
        riskLevelAggregated: outcome.riskLevelDuringSignIn,
        riskState: outcome.riskState,
        riskDetail: outcome.riskDetail,
        riskEventTypes: outcome.riskEventTypes,
        processingTimeMs: rng.int(40, 420),
        uniqueTokenIdentifier: token.uti,
        sessionId: s.sid,
        clientCredentialType: 'none' as const,
        credentialKeyId: null,
        tenantId: world.tenantId,
      };
      records.push(signInRecord(base, label));
      if (s.category === 'NonInteractiveUserSignInLogs' && rng.bool(SIGNIN_DUPLICATE_SHARE)) {
        const id2 = estsRequestId(rng);
        const t2 = s.time + rng.int(0, 900);
        records.push(signInRecord({ ...base, id: id2, time: t2, originalRequestId: id2 }, label));
      }
    }
    const toUal = s.category === 'SignInLogs' ? UAL_SHARE_INTERACTIVE : UAL_SHARE_NON_INTERACTIVE;
    if (env.collects.ual && rng.bool(toUal)) {
      const rec = ualLogon(this.ual, {
        time: s.time,
        id,
        correlationId,
        success: ok,
        errorNumber: String(outcome.errorCode),
        logonError: ok ? null : ualLogonErrorFor(outcome.errorCode),
        userObjectId: user.id,
        upn: user.upn,
        ip: s.ip,
        resourceId: s.resource.id,
        appId: s.appId,
        userAgent: s.userAgent,
        requestType: ualRequestType(s, outcome),
        authMethod: outcome.ualAuthMethod,
        // "Stay signed in?" is asked only on a browser's password prompt, and each person answers it their own way
        keepMeSignedIn: ualRequestTypeAsksKmsi(s, outcome) && (mix32(user.index, 0x6b6d) & 3) !== 0,
        os: ualOsOf(s.userAgent, dev?.osLabel ?? ''),
        browserType: ualBrowserOf(s.userAgent),
        compliantAndManaged: Boolean(dev?.isCompliant && dev.isManaged),
        sessionId: s.sid,
      });
      records.push({ source: 'ual', time: s.time, id, record: rec, label });
    }
    return { token, outcome, records, ok };
  }

  /** One Microsoft Graph request (MicrosoftGraphActivityLogs). Returns null if not collected. */
  graphRequest(rng: Rng, label: Label, q: GraphCall): LabelledRecord | null {
    if (!this.env.collects.graphActivity) return null;
    const requestId = rng.uuid();
    const ticks = rng.int(0, 9999);
    const sends = SENDS_CLIENT_REQUEST_ID[q.client ?? clientLibraryOf(q.userAgent)];
    const clientRequestId = sends ? rng.uuid() : requestId;
    const region = rng.weighted(this.env.world.graphRegions);
    const line = graphActivityDiagLine(this.graph, q, ticks, requestId, clientRequestId, region);
    return new SerialisedRecord('graphActivity', q.time, requestId, line, 'MicrosoftGraphActivityLogs', label);
  }

  /** One Azure AD Graph request (AzureADGraphActivityLogs). */
  aadGraphRequest(
    rng: Rng,
    label: Label,
    q: Omit<AadGraphRequestInput, 'ticks' | 'requestId' | 'region'>,
  ): LabelledRecord | null {
    if (!this.env.collects.aadGraphActivity) return null;
    const requestId = rng.uuid();
    const line = aadGraphActivityDiagLine(this.env.world.tenantId, {
      ...q,
      ticks: rng.int(0, 9999),
      requestId,
      region: this.env.world.aadGraphRegion,
    });
    return new SerialisedRecord('aadGraphActivity', q.time, requestId, line, 'AzureADGraphActivityLogs', label);
  }

  /** A directory change (UAL RecordType 8). */
  directoryChange(
    rng: Rng,
    label: Label,
    c: Omit<UalDirectoryChangeInput, 'id' | 'interSystemsId' | 'intraSystemId'>,
  ): LabelledRecord | null {
    if (!this.env.collects.ual) return null;
    const id = rng.uuid();
    const rec = ualDirectoryChange(this.ual, { ...c, id, interSystemsId: rng.uuid(), intraSystemId: rng.uuid() });
    return { source: 'ual', time: c.time, id, record: rec, label };
  }

  /**
   * An Exchange Online cmdlet: a RecordType 1 record only if the service audits it (state-changing,
   * or Get-* under the `exo-get-cmdlets-audited` hypothesis).
   */
  exchangeCmdlet(
    rng: Rng,
    label: Label,
    x: {
      time: number;
      cmdlet: string;
      objectId: string;
      user: User;
      ip: string;
      token: Token;
      parameters: readonly { Name: string; Value: string }[];
      exoSessionId: string;
    },
  ): LabelledRecord | null {
    if (!this.env.collects.ual || !exchangeCmdletAudited(x.cmdlet, this.env.hypotheses)) return null;
    const id = exchangeRecordId(rng, x.time);
    const w = this.env.world;
    const rec = ualExchangeAdmin(this.ual, {
      time: x.time,
      id,
      cmdlet: x.cmdlet,
      objectId: x.objectId,
      upn: x.user.upn,
      puid: x.user.puid,
      ip: x.ip,
      port: rng.int(1024, 65535),
      appId: x.token.appId,
      parameters: x.parameters,
      originatingServer: `${w.exchangeForest}${rng.int(1, 20).toString().padStart(2, '0')}MB${rng.int(1000, 9999)} (15.20.${rng.int(8100, 8300)}.${rng.int(10, 40).toString().padStart(3, '0')})`,
      tokenIssuedAt: x.token.iat,
      uniqueTokenId: x.token.uti,
      requestId: rng.uuid(),
      sessionId: x.exoSessionId,
    });
    return { source: 'ual', time: x.time, id, record: rec, label };
  }

  /** A PowerShell 4104 script-block event on an admin host. */
  scriptBlock(
    rng: Rng,
    label: Label,
    s: { time: number; computer: string; eventRecordId: number; userSid: string; processId: number; text: string },
  ): LabelledRecord | null {
    if (!this.env.collects.endpointPowerShell) return null;
    const rec = scriptBlock4104({
      time: s.time,
      ticks: rng.int(0, 9999),
      computer: s.computer,
      eventRecordId: s.eventRecordId,
      userSid: s.userSid,
      processId: s.processId,
      threadId: s.processId + rng.int(4, 400),
      scriptBlockId: rng.uuid(),
      text: s.text,
      level: SUSPICIOUS_SCRIPT_BLOCK.test(s.text) ? 3 : 5,
    });
    return {
      source: 'endpointPowerShell',
      time: s.time,
      id: scriptBlockRecordId(s.computer, s.eventRecordId),
      record: rec,
      label,
    };
  }
}

/**
 * The UAL RecordType 15 `RequestType` of a sign-in, from how it authenticated: a token redemption
 * (refresh token, ROPC password, client credentials) is `OAuth2:Token`; an interactive sign-in the
 * session satisfied without a prompt is `OAuth2:Authorize`; a password typed into the login page is
 * `Login:login`, and `SAS:EndAuth` when an MFA step followed; the device-code page is `Cmsi:Cmsi`
 * (samples/ual-15.jsonl: ROPC and azurehound `OAuth2:Token`, a browser password `Login:login`;
 * telemetry.md §2; `Cmsi:Cmsi` [U: incident-response write-ups, not a Microsoft document]).
 */
function ualRequestType(s: SignInSpec, o: SignInOutcome): UalLogonInput['requestType'] {
  if (s.category !== 'SignInLogs') return 'OAuth2:Token';
  if (o.authenticationProtocol === 'deviceCode') return 'Cmsi:Cmsi';
  const primary = o.authSteps[0];
  if (!primary || primary.method === 'Previously satisfied') return 'OAuth2:Authorize';
  return o.authSteps.some((a) => a.requirement === 'MFA' && a.method !== 'Previously satisfied')
    ? 'SAS:EndAuth'
    : 'Login:login';
}

/** Whether the sign-in went through the browser login page that offers "Stay signed in?". */
function ualRequestTypeAsksKmsi(s: SignInSpec, o: SignInOutcome): boolean {
  const t = ualRequestType(s, o);
  return s.clientAppUsed === 'Browser' && (t === 'Login:login' || t === 'SAS:EndAuth');
}

/**
 * PowerShell logs a script block at Warning (3) only when it matches its built-in list of suspicious
 * content (Add-Type, DllImport, VirtualAlloc, GetProcAddress, System.Reflection.Emit, …); everything
 * else that script-block logging records is Verbose (5). A recon cmdlet such as
 * `Get-Recipient -ResultSize Unlimited` is not on the list, so it must not stand out by its level.
 */
const SUSPICIOUS_SCRIPT_BLOCK = /\b(Add-Type|DllImport|VirtualAlloc|GetProcAddress|System\.Reflection\.Emit)\b/i;

function guessOs(ua: string): string {
  if (/Windows/i.test(ua)) return 'Windows10';
  if (/Mac OS X|Macintosh/i.test(ua)) return 'MacOs';
  if (/Linux/i.test(ua)) return 'Linux';
  if (/iPhone|iOS/i.test(ua)) return 'Ios';
  if (/Android/i.test(ua)) return 'Android';
  return '';
}

function guessBrowser(ua: string): string {
  const m = /(Edg|Chrome|Firefox|Safari)\/(\d+)/.exec(ua);
  if (!m) return '';
  const name = m[1] === 'Edg' ? 'Edge' : (m[1] as string);
  return `${name} ${m[2]}.0.0`;
}
