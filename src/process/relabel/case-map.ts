/**
 * Go's strings.ToLower / strings.ToUpper for the lowercase and uppercase
 * actions. Go maps each code point on its own with Unicode's simple
 * mappings; JavaScript applies the full ones, which differ: 'ß' stays 'ß' in
 * Go but becomes 'SS', 'ΑΣ' lowers to 'ασ' in Go but to 'ας' (final sigma).
 * ASCII, the common case, maps the same in both and takes the fast path.
 */
const ASCII = /^[\0-\x7f]*$/;

export function goToLower(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    // Only U+0130 (İ) lowers to two code points; its simple mapping is 'i'.
    out += isOneCodePoint(lower) ? lower : ch === '\u0130' ? 'i' : ch;
  }
  return out;
}

export function goToUpper(s: string): string {
  if (ASCII.test(s)) return s.toUpperCase();
  let out = '';
  for (const ch of s) {
    const upper = ch.toUpperCase();
    out += isOneCodePoint(upper) ? upper : simpleUpper(ch);
  }
  return out;
}

function isOneCodePoint(s: string): boolean {
  return s.length === 1 || (s.length === 2 && s.codePointAt(0)! > 0xffff);
}

/**
 * For the characters whose full uppercase is several code points: Greek
 * letters with ypogegrammeni have a single-code-point simple uppercase (the
 * titlecase form); the rest (ß, ŉ, ǰ, ligatures…) have none and stay as they are.
 */
function simpleUpper(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (
    (cp >= 0x1f80 && cp <= 0x1f87) ||
    (cp >= 0x1f90 && cp <= 0x1f97) ||
    (cp >= 0x1fa0 && cp <= 0x1fa7)
  ) {
    return String.fromCodePoint(cp + 8);
  }
  if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return String.fromCodePoint(cp + 9);
  return ch;
}
