/**
 * Scoring lookups built while labels.jsonl and delivery.jsonl stream by, one line at a time (the
 * harness reads the files): the scorer looks up labels and availability only for the record ids
 * the alerts cite, and the collection ledger only for the campaigns' records, so that is all this
 * keeps. Memory is O(cited records + malicious records) whatever the dataset's length, and the
 * lookups equal those scoreRun builds from the whole files (test/scoring/subset.test.ts).
 *
 * Feed every label first, in file order, then every delivery: a campaign's records are known
 * from its labels before the schedule says whether they were delivered.
 */
import type { ReceivedAlert } from '../core/alerts.js';
import type { EpochMs } from '../core/clock.js';
import type { DeliveryEntry } from '../core/dataset.js';
import type { SourceId } from '../core/sources.js';
import type { RecordLabel } from '../core/truth.js';
import { norm } from './match.js';
import type { ScoringLookups } from './score.js';

export interface SubsetInputs {
  /** labels.jsonl will be fed (else evidence cannot match) */
  labels: boolean;
  /** delivery.jsonl will be fed (else leaks and processing delay are not measured) */
  delivery: boolean;
  /**
   * the schedule is the collection ledger: the collector fetched every delivery (in-process
   * lockstep). Without it there is no ledger, as when scoring alerts from a file.
   */
  scheduleIsLedger: boolean;
  /**
   * with `scheduleIsLedger`: the collection ledger of a detector that fetched the records itself
   * (the mock's): whether any delivery of this record was fetched. Omitted, every delivery was.
   */
  collected?: (id: string, source: SourceId) => boolean;
}

export class ScoringSubset {
  private readonly cited = new Set<string>();
  private readonly known = new Set<string>();
  private readonly labels = new Map<string, RecordLabel>();
  private readonly availability = new Map<string, EpochMs>();
  private readonly campaignCollected = new Map<string, boolean>();
  /** records of campaigns not yet seen delivered: normalised id → campaign ids */
  private readonly campaignRecords = new Map<string, string[]>();

  constructor(
    alerts: readonly ReceivedAlert[],
    private readonly inputs: SubsetInputs,
  ) {
    for (const r of alerts) {
      for (const id of r.alert.evidence ?? []) {
        const k = norm(id);
        if (k !== '') this.cited.add(k);
      }
    }
  }

  /** distinct record ids the alerts cite (normalised) */
  get citedCount(): number {
    return this.cited.size;
  }

  /** whether the scorer needs labels.jsonl read at all */
  needsLabels(): boolean {
    return this.inputs.labels && (this.cited.size > 0 || this.inputs.scheduleIsLedger);
  }

  /** whether the scorer needs delivery.jsonl read at all */
  needsDelivery(): boolean {
    return (
      this.inputs.delivery && (this.cited.size > 0 || (this.inputs.scheduleIsLedger && this.campaignRecords.size > 0))
    );
  }

  addLabel(l: RecordLabel): void {
    const k = norm(l.id);
    if (this.cited.has(k)) {
      this.labels.set(k, l);
      this.known.add(k);
    }
    if (l.class === 'evidence' && l.campaign !== undefined && this.inputs.scheduleIsLedger) {
      const list = this.campaignRecords.get(k);
      if (!list) this.campaignRecords.set(k, [l.campaign]);
      else if (!list.includes(l.campaign)) list.push(l.campaign);
      if (!this.campaignCollected.has(l.campaign)) this.campaignCollected.set(l.campaign, false);
    }
  }

  addDelivery(d: DeliveryEntry): void {
    const k = norm(d.id);
    if (this.cited.has(k)) {
      this.known.add(k);
      const prev = this.availability.get(k);
      if (prev === undefined || d.at < prev) this.availability.set(k, d.at);
    }
    const campaigns = this.campaignRecords.get(k);
    if (campaigns && (!this.inputs.collected || this.inputs.collected(d.id, d.source))) {
      for (const c of campaigns) this.campaignCollected.set(c, true);
      this.campaignRecords.delete(k);
    }
  }

  /** whether a cited record id (normalised) is in the labels or the schedule fed so far */
  isKnown(id: string): boolean {
    return this.known.has(id);
  }

  lookups(): ScoringLookups {
    return {
      labels: this.inputs.labels ? this.labels : null,
      availability: this.inputs.delivery ? this.availability : null,
      campaignCollected: this.inputs.scheduleIsLedger ? this.campaignCollected : null,
    };
  }
}
