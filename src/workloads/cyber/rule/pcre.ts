/**
 * Sigma's `re` values are PCRE (the modifiers appendix names the flavour: `.`, `^`, `$`, quantifiers, classes,
 * alternation, groups). JavaScript reads most of that alike but not all, and where it differs it does so silently:
 * `$` would miss a value ending in a newline, `.` would skip a carriage return, `\A` would mean the letter A.
 * This rewrites a pattern so V8 gives it PCRE's meaning, and refuses what it cannot carry over rather than guess.
 */
import { UnsupportedRule } from "./unsupported.ts";

/** Escapes whose meaning JavaScript (without the `u` flag) shares with PCRE. */
const SHARED_ESCAPES = new Set([..."dDwWsSbBtnrfv0123456789"]);
/** Inside a class, \b is a backspace in both; \B is not a class escape in either. */
const SHARED_CLASS_ESCAPES = new Set([..."dDwWsSbtnrfv0"]);

const START_OF_SUBJECT = "(?<![\\s\\S])";
const END_OF_SUBJECT = "(?![\\s\\S])";
/** PCRE's `$` (and `\Z`): the end, or just before a newline that ends the subject. */
const END_OR_FINAL_NEWLINE = "(?=\\n?(?![\\s\\S]))";
/** Multi-line `$`: before any line feed (PCRE's default newline is LF alone; JavaScript's `m` also takes \r, U+2028). */
const END_OF_LINE = "(?=\\n|(?![\\s\\S]))";
/** Multi-line `^`: the start, or after a line feed that is not the last character. */
const START_OF_LINE = "(?:(?<![\\s\\S])|(?<=\\n)(?=[\\s\\S]))";

export interface JsRegex {
  readonly source: string;
  readonly flags: string;
}

/**
 * The JavaScript equivalent of a PCRE pattern under Sigma's `i`, `m` and `s` sub-modifiers (`flags`). The anchors
 * and the dot are spelled out, so only `i` is left as a RegExp flag. Throws UnsupportedRule for PCRE syntax
 * JavaScript would read differently and that has no faithful rewrite (POSIX classes, \h, \Q...\E, \p...).
 */
export function pcreToJs(pattern: string, flags: string): JsRegex {
  const multiline = flags.includes("m");
  const dotAll = flags.includes("s");
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) throw new UnsupportedRule("regular expression ends with a lone backslash");
      i++;
      out += inClass ? classEscape(pattern, i, (to) => (i = to)) : escape(pattern, i, (to) => (i = to));
      continue;
    }
    if (inClass) {
      if (c === "[" && pattern[i + 1] === ":") throw new UnsupportedRule(`POSIX character classes ([:name:]) are not supported in 're': ${brief(pattern)}`);
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (pattern[i + 1] === "^") out += pattern[++i];
      // PCRE takes a ] right after the opening bracket as a member; JavaScript would close an empty class there.
      if (pattern[i + 1] === "]") {
        out += "\\]";
        i++;
      }
    } else if (c === ".") out += dotAll ? "[\\s\\S]" : "[^\\n]";
    else if (c === "$") out += multiline ? END_OF_LINE : END_OR_FINAL_NEWLINE;
    else if (c === "^") out += multiline ? START_OF_LINE : "^";
    else if (c === "(" && pattern.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
    } else if (c === "(" && pattern.startsWith("(?P=", i)) {
      const close = pattern.indexOf(")", i);
      if (close < 0) throw new UnsupportedRule(`unclosed group in 're': ${brief(pattern)}`);
      out += `\\k<${pattern.slice(i + 4, close)}>`;
      i = close;
    } else out += c;
  }
  return { source: out, flags: flags.includes("i") ? "i" : "" };
}

/** An escape outside a class, at pattern[at] (the character after the backslash); `advance` moves past extra text. */
function escape(pattern: string, at: number, advance: (to: number) => void): string {
  const c = pattern[at]!;
  if (!/[A-Za-z]/.test(c)) return `\\${c}`;
  if (SHARED_ESCAPES.has(c)) return `\\${c}`;
  if (c === "A") return START_OF_SUBJECT;
  if (c === "z") return END_OF_SUBJECT;
  if (c === "Z") return END_OR_FINAL_NEWLINE;
  if (c === "x") return hexEscape(pattern, at, advance);
  if (c === "c" && /[A-Za-z]/.test(pattern[at + 1] ?? "")) {
    advance(at + 1);
    return `\\c${pattern[at + 1]}`;
  }
  if (c === "k" && pattern[at + 1] === "<") return "\\k";
  throw new UnsupportedRule(`'\\${c}' has no JavaScript equivalent here (Sigma's regex flavour is a PCRE subset): ${brief(pattern)}`);
}

function classEscape(pattern: string, at: number, advance: (to: number) => void): string {
  const c = pattern[at]!;
  if (!/[A-Za-z]/.test(c) || SHARED_CLASS_ESCAPES.has(c)) return `\\${c}`;
  if (c === "x") {
    const unit = hexEscape(pattern, at, advance);
    // Without the u flag a class holds UTF-16 units: a character beyond the BMP cannot be one member.
    if (unit.length > 6 && unit.startsWith("(?:")) throw new UnsupportedRule("a character beyond the BMP inside a class is not supported in 're'");
    return unit;
  }
  throw new UnsupportedRule(`'\\${c}' inside a character class has no JavaScript equivalent here`);
}

/** \xHH is shared; PCRE's \x{H...} becomes \uHHHH (a character beyond the BMP, its surrogate pair). */
function hexEscape(pattern: string, at: number, advance: (to: number) => void): string {
  if (pattern[at + 1] !== "{") return "\\x";
  const close = pattern.indexOf("}", at);
  const hex = close < 0 ? "" : pattern.slice(at + 2, close);
  if (!/^[0-9A-Fa-f]{1,6}$/.test(hex) || Number.parseInt(hex, 16) > 0x10ffff) throw new UnsupportedRule(`bad \\x{...} escape in 're': ${brief(pattern)}`);
  advance(close);
  const ch = String.fromCodePoint(Number.parseInt(hex, 16));
  const units = Array.from({ length: ch.length }, (_, k) => `\\u${ch.charCodeAt(k).toString(16).padStart(4, "0")}`).join("");
  // A surrogate pair is grouped so a quantifier after it repeats the whole character.
  return ch.length === 1 ? units : `(?:${units})`;
}

const brief = (s: string): string => (s.length > 80 ? `${s.slice(0, 80)}...` : s);
