/**
 * Sigma string values: literal text with the wildcards `*` (any run) and `?` (one character).
 * A backslash escapes `*`, `?` and itself; before any other character it is a plain backslash, so
 * Windows paths such as `C:\Windows\` need no doubling (sigma-rules-specification, "Wildcards").
 */

export type Piece = { kind: "lit"; text: string } | { kind: "star" } | { kind: "one" };

export function parseSigmaString(raw: string): Piece[] {
  const pieces: Piece[] = [];
  let lit = "";
  const flush = (): void => {
    if (lit !== "") pieces.push({ kind: "lit", text: lit });
    lit = "";
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "\\") {
      const next = raw[i + 1];
      if (next === "*" || next === "?" || next === "\\") {
        lit += next;
        i++;
      } else {
        lit += c;
      }
    } else if (c === "*") {
      flush();
      if (pieces.at(-1)?.kind !== "star") pieces.push({ kind: "star" });
    } else if (c === "?") {
      flush();
      pieces.push({ kind: "one" });
    } else {
      lit += c;
    }
  }
  flush();
  return pieces;
}

export const literal = (text: string): Piece[] => (text === "" ? [] : [{ kind: "lit", text }]);

export function hasWildcards(pieces: readonly Piece[]): boolean {
  return pieces.some((p) => p.kind !== "lit");
}

export function withStars(pieces: readonly Piece[], start: boolean, end: boolean): Piece[] {
  const out = [...pieces];
  if (start && out[0]?.kind !== "star") out.unshift({ kind: "star" });
  if (end && out.at(-1)?.kind !== "star") out.push({ kind: "star" });
  return out;
}

/**
 * A compiled test of one string value. `lower` is the value lower-cased once per event by the caller, so the
 * case-insensitive default costs one comparison. `needle` is a lower-case substring every matching value
 * contains (or null when there is none): the rule index uses it to skip rules an event cannot match.
 */
export interface StringTest {
  test(value: string, lower: string): boolean;
  needle: ValueNeedle | null;
  /** For the common shapes, what the test compares: lists of them are then matched together (value-set.ts). */
  form?: ValueForm;
}

/** A test that compares the value (lower-cased unless `cased`) with `text`: whole, at its start, its end, or anywhere. */
export interface ValueForm {
  op: "eq" | "starts" | "ends" | "contains";
  text: string;
  cased: boolean;
}

/** Lower-case text a matching value contains; `exact`: the value (lower-cased) is this text, whole. */
export interface ValueNeedle {
  text: string;
  exact: boolean;
}

/**
 * `?`: one character, which may be a surrogate pair (an emoji is one character). Not the `u` flag: that would change
 * case folding of every pattern; a lone surrogate still counts as one character.
 */
const ONE_CHAR = "(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|(?![\\uD800-\\uDBFF][\\uDC00-\\uDFFF])[\\s\\S])";

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

export function compilePieces(pieces: readonly Piece[], cased: boolean): StringTest {
  const lits = pieces.filter((p): p is { kind: "lit"; text: string } => p.kind === "lit");
  const longest = lits.reduce((a, p) => (p.text.length > a.length ? p.text : a), "");
  const needle: ValueNeedle | null = longest === "" ? null : { text: longest.toLowerCase(), exact: false };
  const fold = (s: string): string => (cased ? s : s.toLowerCase());
  const shape = pieces.map((p) => (p.kind === "lit" ? "L" : p.kind === "star" ? "*" : "?")).join("");
  const text = (i: number): string => fold((pieces[i] as { text: string }).text);

  // The shapes Sigma rules use almost always; each avoids a regular expression.
  switch (shape) {
    case "": {
      const form: ValueForm = { op: "eq", text: "", cased };
      return cased ? { test: (v) => v === "", needle, form } : { test: (_v, l) => l === "", needle, form };
    }
    case "*": return { test: () => true, needle };
    case "L": {
      const t = text(0);
      const whole = { text: t.toLowerCase(), exact: true };
      const form: ValueForm = { op: "eq", text: t, cased };
      return cased ? { test: (v) => v === t, needle: whole, form } : { test: (_v, l) => l === t, needle: whole, form };
    }
    case "L*": {
      const t = text(0);
      const form: ValueForm = { op: "starts", text: t, cased };
      return cased ? { test: (v) => v.startsWith(t), needle, form } : { test: (_v, l) => l.startsWith(t), needle, form };
    }
    case "*L": {
      const t = text(1);
      const form: ValueForm = { op: "ends", text: t, cased };
      return cased ? { test: (v) => v.endsWith(t), needle, form } : { test: (_v, l) => l.endsWith(t), needle, form };
    }
    case "*L*": {
      const t = text(1);
      const form: ValueForm = { op: "contains", text: t, cased };
      return cased ? { test: (v) => v.includes(t), needle, form } : { test: (_v, l) => l.includes(t), needle, form };
    }
  }
  const source = pieces.map((p) => (p.kind === "lit" ? escapeRegex(p.text) : p.kind === "star" ? "[\\s\\S]*" : ONE_CHAR)).join("");
  const re = new RegExp(`^${source}$`, cased ? "" : "i");
  return { test: (v) => re.test(v), needle };
}
