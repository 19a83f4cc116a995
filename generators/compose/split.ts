/**
 * split: the one place labels leave the records. It turns the merged labelled stream into
 *   - record lines per source (the records exactly as served — no label, nothing added),
 *   - delivery lines (the seeded availability schedule),
 *   - label lines (truth side: record id → class, actor, campaign or profile),
 *   - the truth (campaigns with principals, sessions, tokens, IPs, start, end, counts, availability,
 *     their evidence and their context apart).
 * Sinks receive strings; writing them anywhere is the caller's business (harness/).
 */
import type { DeliveryEntry } from '../../src/core/dataset.js';
import { type Label, type LabelledRecord, recordClassOf } from '../../src/core/records.js';
import type { SourceId } from '../../src/core/sources.js';
import type { BenignActor, Campaign, Truth } from '../../src/core/truth.js';
import { TRUTH_FORMAT_VERSION } from '../../src/core/truth.js';
import { DeliverySchedule, ualContentType } from '../../src/delivery/index.js';
import type { Scenario } from '../../src/scenario/types.js';
import { jsonStr } from '../records/common.js';
import type { Actor, CampaignFacts } from '../registry-types.js';

export interface SplitSinks {
  record(source: SourceId, line: string): void;
  delivery(line: string): void;
  label(line: string): void;
}

interface Availability {
  counts: Partial<Record<SourceId, number>>;
  firstAvailable: number | null;
  lastAvailable: number | null;
}

interface CampaignTally {
  facts: CampaignFacts;
  first: number;
  last: number;
  evidence: Availability;
  context: Availability;
}

const noAvailability = (): Availability => ({ counts: {}, firstAvailable: null, lastAvailable: null });

export class Splitter {
  readonly counts: Partial<Record<SourceId, number>> = {};
  deliveries = 0;
  records = 0;
  private readonly schedule: DeliverySchedule;
  private readonly tallies = new Map<string, CampaignTally>();
  private lastPrune = 0;
  /** the label line's constant middle per label: `","source":…` is per record, this is `"actor":…}` */
  private readonly labelTails = new Map<Label, string>();
  private readonly deliveryLines = new DeliveryLines();

  constructor(
    private readonly scenario: Scenario,
    private readonly seed: number,
    tenantId: string,
    campaigns: readonly CampaignFacts[],
    private readonly sinks: SplitSinks,
  ) {
    this.schedule = new DeliverySchedule({ seed, tenantId, delivery: scenario.delivery });
    for (const c of campaigns) {
      this.tallies.set(c.id, {
        facts: c,
        first: Number.POSITIVE_INFINITY,
        last: Number.NEGATIVE_INFINITY,
        evidence: noAvailability(),
        context: noAvailability(),
      });
    }
  }

  push(r: LabelledRecord): void {
    const line = r.line ?? JSON.stringify(r.record);
    this.sinks.record(r.source, line);
    this.counts[r.source] = (this.counts[r.source] ?? 0) + 1;
    this.records++;
    const entries = this.schedule.schedule({
      id: r.id,
      source: r.source,
      time: r.time,
      channel: r.channel ?? channelOf(r),
    });
    for (const e of entries) this.sinks.delivery(this.deliveryLines.line(e));
    this.deliveries += entries.length;
    const campaign = r.label.campaign;
    this.sinks.label(`{"id":${jsonStr(r.id)},"source":"${r.source}","time":${r.time}${this.labelTail(r.label)}`);
    if (campaign) {
      const t = this.tallies.get(campaign);
      if (t) {
        if (r.time < t.first) t.first = r.time;
        if (r.time > t.last) t.last = r.time;
        const a = r.label.context ? t.context : t.evidence;
        a.counts[r.source] = (a.counts[r.source] ?? 0) + 1;
        const at = (entries[0] as DeliveryEntry).at;
        if (a.firstAvailable === null || at < a.firstAvailable) a.firstAvailable = at;
        if (a.lastAvailable === null || at > a.lastAvailable) a.lastAvailable = at;
      }
    }
    if (r.time - this.lastPrune > 6 * 3_600_000) {
      this.schedule.prune(r.time - 48 * 3_600_000);
      this.lastPrune = r.time;
    }
  }

  /** A RecordLabel after its id, source and time, serialised by hand: constant per label. */
  private labelTail(label: Label): string {
    let tail = this.labelTails.get(label);
    if (tail === undefined) {
      const cls = recordClassOf(label);
      const what =
        cls === 'benign' ? `"profile":${jsonStr(label.module)}` : `"campaign":${jsonStr(label.campaign as string)}`;
      tail = `,"actor":${jsonStr(label.actor)},"class":"${cls}",${what}}`;
      this.labelTails.set(label, tail);
    }
    return tail;
  }

  truth(scenarioHash: string, benignActors: readonly Actor[]): Truth {
    const campaigns: Campaign[] = [...this.tallies.values()]
      .map((t) => ({
        id: t.facts.id,
        technique: t.facts.technique,
        attack: t.facts.attack,
        principals: [...t.facts.principals],
        sessions: [...t.facts.sessions],
        tokens: [...t.facts.tokens],
        ips: [...t.facts.ips],
        appIds: [...t.facts.appIds],
        start: Number.isFinite(t.first) ? t.first : t.facts.start,
        end: Number.isFinite(t.last) ? t.last : t.facts.start,
        recordsBySource: t.evidence.counts,
        firstAvailable: t.evidence.firstAvailable,
        lastAvailable: t.evidence.lastAvailable,
        context: {
          recordsBySource: t.context.counts,
          firstAvailable: t.context.firstAvailable,
          lastAvailable: t.context.lastAvailable,
        },
        options: t.facts.options,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const benign: BenignActor[] = benignActors
      .filter((a) => !a.campaign)
      .map((a) => ({ actor: a.id, profile: a.label.module, principals: a.principals }))
      .sort((a, b) => (a.actor < b.actor ? -1 : a.actor > b.actor ? 1 : 0));
    const s = this.scenario;
    return {
      formatVersion: TRUTH_FORMAT_VERSION,
      scenario: { name: s.name, hash: scenarioHash },
      seed: this.seed,
      window: { start: s.time.start, end: s.time.end, historyStart: s.time.historyStart },
      sources: [...s.telemetry.sources],
      hypotheses: [...s.telemetry.hypotheses],
      campaigns,
      benign,
    };
  }
}

/** The delivery channel of a record that did not say (UAL content type, diagnostic category, computer). */
export function channelOf(r: LabelledRecord): string {
  const rec = r.record;
  switch (r.source) {
    case 'ual':
      return ualContentType(rec.RecordType as number);
    case 'endpointPowerShell':
      return String(rec.Computer);
    default:
      return String(rec.category);
  }
}

/** delivery.jsonl lines: fixed key order, optional keys only when set. */
export class DeliveryLines {
  /** quoted blob names with what follows them; a blob takes thousands of records */
  private readonly blobs = new Map<string, string>();

  line(e: DeliveryEntry): string {
    let tail = this.blobs.get(e.blob);
    if (tail === undefined) {
      if (this.blobs.size >= 4096) this.blobs.clear();
      tail = `,"blob":${jsonStr(e.blob)}`;
      this.blobs.set(e.blob, tail);
    }
    let s = `{"id":${jsonStr(e.id)},"source":"${e.source}","at":${e.at}${tail}`;
    if (e.contentType) s += `,"contentType":"${e.contentType}"`;
    if (e.duplicate) s += ',"duplicate":true';
    return `${s}}`;
  }
}
