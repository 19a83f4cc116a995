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

/**
 * A labelled record kept as its builder's input until someone needs it: the object is built only
 * if `record` is read (a technique that edits the record, a test), and the line is written directly
 * unless it was, so an edited record is serialised as edited. Either way the line equals
 * JSON.stringify(build(input)) — the direct writer is property-tested against it.
 */
export class DeferredRecord<I> implements LabelledRecord {
  private built: TelemetryRecord | undefined;
  constructor(
    readonly source: SourceId,
    readonly time: number,
    readonly id: string,
    private readonly channelOf: string,
    readonly label: Label,
    private readonly input: I,
    private readonly build: (input: I) => TelemetryRecord,
    private readonly write: (input: I) => string,
  ) {}

  get record(): TelemetryRecord {
    if (this.built === undefined) this.built = this.build(this.input);
    return this.built;
  }

  get line(): string {
    return this.built === undefined ? this.write(this.input) : JSON.stringify(this.built);
  }

  /** once the record was read (and perhaps edited), the channel is read from it again */
  get channel(): string | undefined {
    return this.built === undefined ? this.channelOf : undefined;
  }
}
