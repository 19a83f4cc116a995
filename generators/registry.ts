/**
 * The explicit registries of benign profiles and attack techniques. Adding one is adding its
 * module file and one line here — never an import side effect (STYLE.md 3).
 */
import type { ModuleInfo } from '../src/core/catalog.js';

/** The part of a generator module the catalogue needs; generators extend it with their stream. */
export interface GeneratorModule {
  info: ModuleInfo;
}

export const PROFILES: readonly GeneratorModule[] = [];

export const TECHNIQUES: readonly GeneratorModule[] = [];
