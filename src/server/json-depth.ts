/**
 * Whether a JSON text nests arrays and objects deeper than `max`. Checked on the raw bytes before parsing: a
 * body of a few MB can nest a million levels, which no Concord request needs and which recursive code further on
 * (serialising for an upstream, walking events or scenarios) cannot survive. Brackets inside strings don't count.
 */
export function jsonDepthExceeds(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
