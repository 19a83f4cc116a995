/**
 * KQL string operators, as the Sentinel ports use them.
 */

const TERM_CHAR = /[A-Za-z0-9]/;

/**
 * KQL `has`: `term` occurs in `s` as a whole term, case-insensitively. Kusto splits strings into terms
 * at every non-alphanumeric character, so `"azurehound/v2.9.2" has "azurehound"` holds and
 * `"myazurehound" has "azurehound"` does not. `caseSensitive` gives `has_cs`.
 */
export function kqlHas(s: string, term: string, caseSensitive = false): boolean {
  const hay = caseSensitive ? s : s.toLowerCase();
  const needle = caseSensitive ? term : term.toLowerCase();
  if (needle === '') return true;
  let from = 0;
  for (;;) {
    const i = hay.indexOf(needle, from);
    if (i === -1) return false;
    const before = i === 0 ? '' : hay.charAt(i - 1);
    const after = hay.charAt(i + needle.length);
    if (!TERM_CHAR.test(before) && !TERM_CHAR.test(after)) return true;
    from = i + 1;
  }
}
