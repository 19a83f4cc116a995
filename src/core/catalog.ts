/**
 * The catalogue: what the registries of generators/ and detectors/ describe about themselves,
 * reduced to plain data. `src/` never imports `generators/`: the composition root (harness/)
 * builds a Catalog from the registries and injects it into the scenario loader.
 */
import type { SourceId } from './sources.js';

/** The declared type of one technique/profile option. Values in a scenario are checked against it. */
export type OptionSpec =
  | { type: 'integer'; default?: number; min?: number; max?: number; rangeable?: boolean; description: string }
  | { type: 'number'; default?: number; min?: number; max?: number; rangeable?: boolean; description: string }
  /** a duration string such as "30m" */
  | { type: 'duration'; default?: string; min?: string; max?: string; rangeable?: boolean; description: string }
  /** a rate string such as "1/min" */
  | { type: 'rate'; default?: string; rangeable?: boolean; description: string }
  | { type: 'string'; default?: string; description: string }
  | { type: 'enum'; values: readonly string[]; default?: string; description: string }
  | { type: 'boolean'; default?: boolean; description: string }
  | { type: 'list'; values?: readonly string[]; default?: readonly string[]; description: string };

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Which source can observe a module's activity, and under which condition. */
export interface Observability {
  source: SourceId;
  /** a hypothesis that must be on for this source to show it */
  hypothesis?: string;
  /** what the source shows, in a few words */
  shows: string;
  /**
   * the source shows only the attacker's context (its sign-ins), not the
   * technique: an alert on it is a weak match, and a tenant collecting only such sources cannot see
   * the technique (docs/scoring.md "Labels")
   */
  context?: true;
}

export interface ModuleInfo {
  id: string;
  name: string;
  kind: 'technique' | 'profile';
  /** ATT&CK technique ids */
  attack: readonly string[];
  /** one line for `enumbench list` */
  summary: string;
  /** a paragraph a purple team can read */
  description?: string;
  options: OptionSpecs;
  observability?: readonly Observability[];
  /**
   * What sets a technique's records apart that is behaviour — what the tool does — not how the
   * service writes a record (the tool's own HTTP client, the app it signs in to). A rule may use it;
   * the leak classifier, which hunts formatting marks, leaves it out on purpose (docs/adversarial.md).
   * Listed on the module's page.
   */
  behaviour?: readonly string[];
}

export interface DetectorInfo {
  id: string;
  summary: string;
  /** the detector's options with their defaults (`enumbench list detectors` shows them) */
  options?: OptionSpecs;
}

export interface Catalog {
  techniques: readonly ModuleInfo[];
  profiles: readonly ModuleInfo[];
  detectors: readonly DetectorInfo[];
  /**
   * The countries each network kind has operators in (the world plan's network catalogue), so an
   * attack's `session.country` is refused when no network of its kind is there. Absent: not checked.
   */
  networkCountries?: Readonly<Record<string, readonly string[]>>;
}

export const EMPTY_CATALOG: Catalog = { techniques: [], profiles: [], detectors: [] };
