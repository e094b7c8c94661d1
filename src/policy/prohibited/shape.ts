/**
 * What a rule pattern needs before it can match, read from the pattern itself so the rules stay plain data:
 *   - literalSet: strings of which at least one must occur in any text the regex matches ("identif", "track"),
 *     so one keyword pass over the whole text can tell which lexicon concepts a sentence may hold;
 *   - clauses: the {concept} placeholders a rule template cannot match without (each clause: one of these).
 * Both are necessary conditions only: a sentence that meets them still has to match the real regex.
 * The parser knows the regex subset rules.yaml uses (groups, lookarounds, classes, escapes, quantifiers).
 */

type Node =
  | { readonly t: "char"; readonly c: string; readonly min: number; readonly repeat: boolean }
  | { readonly t: "other" }
  | { readonly t: "ph"; readonly name: string; readonly min: number }
  | { readonly t: "group"; readonly look: boolean; readonly body: Alt; readonly min: number };
type Seq = Node[];
type Alt = Seq[];

/** Characters a literal run may hold: the normalised text's letters, digits, space, apostrophe and hyphen. */
const LITERAL = /^[a-z0-9 '-]$/;

function parse(source: string): Alt {
  let i = 0;
  const quantifier = (): { min: number; repeat: boolean } | null => {
    const c = source[i];
    let q: { min: number; repeat: boolean } | null = null;
    if (c === "?") q = { min: 0, repeat: false };
    else if (c === "*") q = { min: 0, repeat: true };
    else if (c === "+") q = { min: 1, repeat: true };
    else if (c === "{") {
      const m = /^\{(\d+)(,\d*)?\}/.exec(source.slice(i));
      if (m === null) return null;
      i += m[0].length - 1;
      q = { min: Number(m[1]), repeat: m[2] !== undefined || Number(m[1]) > 1 };
    }
    if (q === null) return null;
    i++;
    if (source[i] === "?") i++; // lazy
    return q;
  };
  const alt = (): Alt => {
    const branches: Alt = [seq()];
    while (source[i] === "|") {
      i++;
      branches.push(seq());
    }
    return branches;
  };
  const seq = (): Seq => {
    const items: Seq = [];
    while (i < source.length && source[i] !== "|" && source[i] !== ")") {
      const c = source[i]!;
      const ph = c === "{" ? /^\{([a-z_]+)\}/.exec(source.slice(i)) : null;
      if (ph !== null) {
        i += ph[0].length;
        const q = quantifier();
        items.push({ t: "ph", name: ph[1]!, min: q?.min ?? 1 });
      } else if (c === "(") {
        const look = /^\(\?<?[=!]/.exec(source.slice(i));
        const named = /^\(\?<[A-Za-z]\w*>/.exec(source.slice(i));
        i += look?.[0].length ?? named?.[0].length ?? (source.startsWith("(?:", i) ? 3 : 1);
        const body = alt();
        if (source[i] !== ")") throw new Error(`unbalanced group in ${source}`);
        i++;
        const q = quantifier();
        items.push({ t: "group", look: look !== null, body, min: q?.min ?? 1 });
      } else if (c === "[" || c === "\\" || c === "." || c === "^" || c === "$" || !LITERAL.test(c)) {
        if (c === "[") {
          i++;
          while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
          i++;
        } else i += c === "\\" ? 2 : 1;
        quantifier();
        items.push({ t: "other" });
      } else {
        i++;
        const q = quantifier();
        items.push({ t: "char", c, min: q?.min ?? 1, repeat: q?.repeat ?? false });
      }
    }
    return items;
  };
  const out = alt();
  if (i !== source.length) throw new Error(`unbalanced group in ${source}`);
  return out;
}

const MIN_LITERAL = 3;

/** The weakest (shortest) string of a set decides how much a keyword hit says; fewer strings break ties. */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const ma = Math.min(...a.map((s) => s.length));
  const mb = Math.min(...b.map((s) => s.length));
  return mb > ma || (mb === ma && b.length < a.length) ? b : a;
}

function seqLiterals(items: Seq): string[] | null {
  let best: string[] | null = null;
  let run = "";
  const close = () => {
    if (run.length >= MIN_LITERAL) best = better(best, [run]);
    run = "";
  };
  for (const n of items) {
    if (n.t === "char" && n.min > 0) {
      run += n.c;
      if (n.repeat) close();
      continue;
    }
    close();
    if (n.t === "group" && !n.look && n.min > 0) best = better(best, altLiterals(n.body));
  }
  close();
  return best;
}

function altLiterals(branches: Alt): string[] | null {
  const out: string[] = [];
  for (const b of branches) {
    const set = seqLiterals(b);
    if (set === null) return null;
    out.push(...set);
  }
  return [...new Set(out)];
}

/**
 * Strings at least one of which occurs wherever the regex matches, each at least 3 characters long; null when
 * the regex gives none (an alternative made only of classes, "\w*" and short words).
 */
export function literalSet(source: string): string[] | null {
  return altLiterals(parse(source));
}

/**
 * Clauses of {placeholders} a template needs: each clause lists concepts of which one must be present. A
 * placeholder counts only when it stands alone in its group branch, so its lexicon's own alternation cannot
 * leak into the pattern around it; a template where one does not gives no clauses at all.
 */
export function templateClauses(template: string): string[][] {
  const tree = parse(template);
  let safe = true;
  const walkAlt = (branches: Alt): string[][] => {
    for (const b of branches) if (b.some((n) => n.t === "ph") && b.length > 1) safe = false;
    if (branches.length === 1) return walkSeq(branches[0]!);
    // (A and B) or (C and D) needs (A or C): one clause, the first of each branch, if every branch has one.
    const firsts = branches.map(walkSeq);
    if (firsts.some((c) => c.length === 0)) return [];
    return [[...new Set(firsts.flatMap((c) => c[0]!))]];
  };
  const walkSeq = (items: Seq): string[][] =>
    items.flatMap((n) => {
      if (n.t === "ph") return n.min > 0 ? [[n.name]] : [];
      if (n.t === "group") {
        const inner = walkAlt(n.body);
        return n.look || n.min === 0 ? [] : inner;
      }
      return [];
    });
  const clauses = walkAlt(tree);
  return safe ? clauses : [];
}
