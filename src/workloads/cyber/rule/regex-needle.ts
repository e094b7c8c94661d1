/**
 * The longest literal text every match of a regular expression must contain, if one can be read off it safely,
 * so regex rules join the substring index instead of being tried on every event. Conservative: alternation at
 * the top level, or nothing literal of `minLength` characters or more, gives null.
 */
/** Escapes that stand for one control character. */
const CONTROL_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", f: "\f", v: "\v" };

export function regexNeedle(source: string, minLength = 3): string | null {
  const runs: string[] = [];
  let run = "";
  const breakRun = (): void => {
    if (run !== "") runs.push(run);
    run = "";
  };
  let lastAtomLiteral = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1];
      if (next === undefined) return null;
      i++;
      if (CONTROL_ESCAPES[next] !== undefined) { run += CONTROL_ESCAPES[next]; lastAtomLiteral = true; }
      else if (/[A-Za-z0-9]/.test(next)) {
        // A letter or digit escaped is never itself (\A, \z, \d, \x41, \101, \k<n>...): the run ends, and the
        // escape's argument is skipped, not read as literal text ("\x41" holds no "x41").
        breakRun();
        lastAtomLiteral = false;
        i = escapeEnd(source, i);
        if (i < 0) return null;
      } else { run += next; lastAtomLiteral = true; }
      continue;
    }
    if (c === "|") return null;
    if (c === "(" || c === "[") {
      breakRun();
      const end = c === "(" ? closingParen(source, i) : closingBracket(source, i);
      if (end < 0) return null;
      i = end;
      lastAtomLiteral = false;
      continue;
    }
    if (c === "*" || c === "?" || c === "+" || c === "{") {
      let min = c === "+" ? 1 : 0;
      if (c === "{") {
        const m = /^\{(\d+)(,\d*)?\}/.exec(source.slice(i));
        if (!m) { run += c; lastAtomLiteral = true; continue; } // a literal brace
        min = Number(m[1]);
        i += m[0].length - 1;
      }
      if (lastAtomLiteral && min === 0) run = run.slice(0, -1);
      breakRun();
      if (source[i + 1] === "?" || source[i + 1] === "+") i++; // lazy or possessive
      lastAtomLiteral = false;
      continue;
    }
    if (c === "." || c === "^" || c === "$") { breakRun(); lastAtomLiteral = false; continue; }
    run += c;
    lastAtomLiteral = true;
  }
  breakRun();
  const best = runs.reduce((a, r) => (r.length > a.length ? r : a), "");
  return best.length >= minLength ? best.toLowerCase() : null;
}

/** The index of the last character of the escape whose letter or digit is at `at` (the backslash before it); -1 if cut off. */
function escapeEnd(s: string, at: number): number {
  const letter = s[at]!;
  const braced = (from: number): number => (s[from] === "{" ? s.indexOf("}", from) : -2);
  switch (letter) {
    case "x": {
      const b = braced(at + 1);
      if (b !== -2) return b;
      let i = at;
      while (i < at + 2 && /[0-9A-Fa-f]/.test(s[i + 1] ?? "")) i++;
      return i;
    }
    case "u": {
      const b = braced(at + 1);
      return b !== -2 ? b : Math.min(at + 4, s.length - 1);
    }
    case "p":
    case "P":
    case "N": {
      const b = braced(at + 1);
      return b !== -2 ? b : letter === "N" ? at : at + 1;
    }
    case "k":
    case "g": {
      const open = s[at + 1];
      const close = open === "<" ? ">" : open === "{" ? "}" : open === "'" ? "'" : undefined;
      if (close !== undefined) return s.indexOf(close, at + 2);
      let i = at;
      if (s[i + 1] === "-" || s[i + 1] === "+") i++;
      while (/[0-9]/.test(s[i + 1] ?? "")) i++;
      return i;
    }
    case "c":
      return at + 1 < s.length ? at + 1 : -1;
    default: {
      // Back-references and octal escapes: the digits that follow belong to them.
      let i = at;
      if (/[0-9]/.test(letter)) while (/[0-9]/.test(s[i + 1] ?? "")) i++;
      return i;
    }
  }
}

function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") { i++; continue; }
    if (c === "[") { i = closingBracket(s, i); if (i < 0) return -1; continue; }
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

function closingBracket(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") { i++; continue; }
    if (c === "]" && i > open + 1 + (s[open + 1] === "^" ? 1 : 0)) return i;
  }
  return -1;
}
