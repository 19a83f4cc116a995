/**
 * A labelled record whose builder wrote the JSON line directly. The object form is parsed only if
 * someone reads `record` (tests, converters); the dataset writer uses `line`.
 */
import type { Label, LabelledRecord, TelemetryRecord } from '../../src/core/records.js';
import type { SourceId } from '../../src/core/sources.js';

export class SerialisedRecord implements LabelledRecord {
  private parsed: TelemetryRecord | undefined;
  constructor(
    readonly source: SourceId,
    readonly time: number,
    readonly id: string,
    readonly line: string,
    readonly channel: string,
    readonly label: Label,
  ) {}

  get record(): TelemetryRecord {
    if (this.parsed === undefined) this.parsed = JSON.parse(this.line) as TelemetryRecord;
    return this.parsed;
  }
}
