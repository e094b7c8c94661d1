/**
 * Regex sources with their word lists grouped by first letter. A filled rule pattern is mostly alternations of
 * hundreds of words (`\b(?:identif\w*|track(?:s|ing)?|trace|...)`), and V8 tries the alternatives of a group one
 * after another at every position of the passage. Worse, once a process has generated more than a megabyte of
 * regex code (the rules alone pass that), V8 compiles later regexes without its optimisations (`TooMuchRegExpCode`
 * in its regexp.cc), among them the quick checks that made a failing alternative cheap. Grouped as
 * `(?:i(?:dentif\w*)|t(?:rack(?:s|ing)?|race)|...)`, a position whose letter starts no word fails after a few
 * comparisons instead of hundreds.
 *
 * The result matches where the source does: `x1|x2` and `x(?:1|2)` match the same strings, and the only other change
 * is the order of a group's alternatives, which can change which match is found first but never whether there is
 * one, as long as no capture is read back. So it is for `RegExp.test` on sources without captures or backreferences
 * (`groupAlternatives` leaves those as they are), which is how the rules run.
 */

/** A group's alternatives are grouped when there are at least this many: fewer cost little to try in turn. */
const MIN_ALTERNATIVES = 4;
/** Letters grouped in depth: `(?:a(?:b(?:...)))`. One level gave nearly all the gain, measured on the rules. */
const DEPTH = 2;

/**
 * `source` with the alternatives of each non-capturing group grouped by their first letter; unchanged when it has
 * captures or backreferences, whose matches grouping could change.
 */
export function groupAlternatives(source: string): string {
  return readsCaptures(source) ? source : rewrite(source);
}

/** Whether the source has a capturing group or a backreference (outside character classes). */
function readsCaptures(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      if (/[1-9k]/.test(source[i + 1] ?? "")) return true;
      i++;
    } else if (c === "[") i = classEnd(source, i) - 1;
    else if (c === "(" && !/^\(\?(?::|=|!|<=|<!)/.test(source.slice(i, i + 4))) return true;
  }
  return false;
}

function rewrite(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\\") {
      out += source.slice(i, i + 2);
      i += 2;
    } else if (c === "[") {
      const end = classEnd(source, i);
      out += source.slice(i, end);
      i = end;
    } else if (source.startsWith("(?:", i)) {
      const { alternatives, end } = splitGroup(source, i + 3);
      out += `(?:${byFirstLetter(alternatives.map(rewrite), DEPTH).join("|")})`;
      i = end + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the character class opening at `start`. */
function classEnd(source: string, start: number): number {
  let j = start + 1;
  if (source[j] === "^") j++;
  if (source[j] === "]") j++;
  while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
  return j + 1;
}

/** The top-level alternatives of the group whose body starts at `from`, and the index of its closing parenthesis. */
function splitGroup(source: string, from: number): { alternatives: string[]; end: number } {
  const alternatives: string[] = [];
  let depth = 0;
  let start = from;
  let j = from;
  while (j < source.length) {
    const c = source[j]!;
    if (c === "\\") { j += 2; continue; }
    if (c === "[") { j = classEnd(source, j); continue; }
    if (c === "(") depth++;
    else if (c === ")") {
      if (depth === 0) {
        alternatives.push(source.slice(start, j));
        return { alternatives, end: j };
      }
      depth--;
    } else if (c === "|" && depth === 0) {
      alternatives.push(source.slice(start, j));
      start = j + 1;
    }
    j++;
  }
  throw new Error(`groupAlternatives: unbalanced group in ${source.slice(0, 60)}`);
}

/** The letter an alternative surely starts with: a plain one, not made optional or repeated by what follows. */
function firstLetter(alternative: string): string | null {
  const c = alternative[0];
  if (c === undefined || !/[A-Za-z0-9 _'-]/.test(c)) return null;
  const next = alternative[1];
  return next === "?" || next === "*" || next === "+" || next === "{" ? null : c;
}

/** Alternatives sharing a first letter become one: that letter, then a group of what follows it in each. */
function byFirstLetter(alternatives: readonly string[], depth: number): string[] {
  if (depth === 0 || alternatives.length < MIN_ALTERNATIVES) return [...alternatives];
  const rests = new Map<string, string[]>();
  // Each letter's group takes the place of its first alternative; the others keep theirs.
  const order: Array<string | { letter: string }> = [];
  for (const a of alternatives) {
    const letter = firstLetter(a);
    if (letter === null) { order.push(a); continue; }
    const list = rests.get(letter);
    if (list === undefined) {
      rests.set(letter, [a.slice(1)]);
      order.push({ letter });
    } else list.push(a.slice(1));
  }
  return order.map((x) => {
    if (typeof x === "string") return x;
    const list = rests.get(x.letter)!;
    return list.length === 1 ? x.letter + list[0]! : `${x.letter}(?:${byFirstLetter(list, depth - 1).join("|")})`;
  });
}
