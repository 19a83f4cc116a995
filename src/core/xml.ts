/** The one XML escaper: text and attribute values (JUnit reports, the mock storage service's listings). */

/** Escape the five XML specials and drop the control characters XML 1.0 forbids (tab, LF and CR are kept). */
export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .split('')
    .filter((ch) => {
      // XML 1.0 forbids most control characters; keep tab, newline and carriage return
      const c = ch.charCodeAt(0);
      return c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
    })
    .join('');
}
