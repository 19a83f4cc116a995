/**
 * Option parsers for the numbers the commands take (`--seed`, `--seeds`, `--page-size`, …): each
 * refuses a value outside its range with the range, before any work starts (commander prints the
 * message and the command exits 4). The ranges are the scenario schema's where it has one.
 */
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { EnumbenchError } from '../../src/core/errors.js';
import { parseDuration } from '../../src/scenario/units.js';

/** An integer parser for `min..max`, named after its option in the message. */
export function intInRange(what: string, min: number, max: number): (v: string) => number {
  return (v: string) => {
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${what} is an integer ${min}..${max}, not "${v}"`);
    }
    return n;
  };
}

/** `--seed`: the scenario schema's range (src/scenario/schema.ts `seed`) */
export const parseSeed = intInRange('a seed', 0, 2_147_483_647);

/** `--seeds`: the scenario schema's range for `repeat:` — zero seeds would judge nothing */
export const parseSeedCount = intInRange('--seeds', 1, 1000);

/** A wall-clock duration option (`--drain 6m`, `--grace 5s`, `0` allowed), refused with an example. */
export function parseWallDuration(flag: string): (v: string) => number {
  return (v: string) => {
    const d = parseDuration(v);
    if (!d.ok || d.value < 0) {
      throw new InvalidArgumentError(
        `${flag} is a duration such as 30s, 6m or 0, not "${v}"${d.ok ? '' : ` (${d.message})`}`,
      );
    }
    return d.value;
  };
}

/** A positive duration option checked in the action (`--tick 1m`): E_OPTION (exit 4) with an example. */
export function positiveDuration(flag: string, text: string): number {
  const d = parseDuration(text);
  if (!d.ok || d.value <= 0) {
    throw new EnumbenchError('E_OPTION', `${flag}: ${d.ok ? 'must be positive' : d.message}`, {
      hint: `e.g. ${flag} 1m`,
    });
  }
  return d.value;
}
