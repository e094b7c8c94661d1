/**
 * The detection condition grammar: `and`, `or`, `not`, brackets, search identifiers (with `*` patterns inside
 * `of` expressions), `1 of X`, `any of X`, `all of X`, `N of X`, and `them`. Precedence: not > and > or.
 * Legacy aggregations (`| count() by x > 5`) and `near` are refused: correlation rules replace them.
 */
import { UnsupportedRule } from "./unsupported.ts";

export type Condition =
  | { op: "and" | "or"; args: Condition[] }
  | { op: "not"; arg: Condition }
  | { op: "ref"; name: string }
  | { op: "of"; quantity: "all" | number; pattern: string };

type Token = { t: "(" | ")" | "and" | "or" | "not" | "of" | "them" } | { t: "id"; v: string } | { t: "num"; v: number } | { t: "all" };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\()|(\))|([A-Za-z0-9_*?.\-]+)|(\S))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    if (m[1]) tokens.push({ t: "(" });
    else if (m[2]) tokens.push({ t: ")" });
    else if (m[3]) {
      const word = m[3];
      const lower = word.toLowerCase();
      if (lower === "and" || lower === "or" || lower === "not" || lower === "of" || lower === "them") tokens.push({ t: lower });
      else if (lower === "all" || lower === "any") tokens.push(lower === "all" ? { t: "all" } : { t: "num", v: 1 });
      else if (/^\d+$/.test(word)) tokens.push({ t: "num", v: Number(word) });
      else tokens.push({ t: "id", v: word });
    } else if (m[4] === "|") {
      throw new UnsupportedRule("legacy aggregation in condition ('|'); use a correlation rule");
    } else if (m[4] !== undefined && m[4].trim() !== "") {
      throw new UnsupportedRule(`unexpected character '${m[4]}' in condition`);
    }
  }
  return tokens;
}

/** Brackets and `not`s nested deeper than this make the rule unsupported (deeper would risk the call stack). */
export const MAX_CONDITION_DEPTH = 64;

export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const enter = (): void => {
    if (++depth > MAX_CONDITION_DEPTH) throw new UnsupportedRule(`condition nests brackets or 'not' deeper than ${MAX_CONDITION_DEPTH} levels`);
  };
  const peek = (): Token | undefined => tokens[pos];
  const fail = (what: string): never => {
    throw new UnsupportedRule(`condition '${text}': ${what}`);
  };

  const parseOr = (): Condition => {
    const args = [parseAnd()];
    while (peek()?.t === "or") { pos++; args.push(parseAnd()); }
    return args.length === 1 ? args[0]! : { op: "or", args };
  };
  const parseAnd = (): Condition => {
    const args = [parseNot()];
    while (peek()?.t === "and") { pos++; args.push(parseNot()); }
    return args.length === 1 ? args[0]! : { op: "and", args };
  };
  const parseNot = (): Condition => {
    if (peek()?.t === "not") {
      pos++;
      enter();
      const arg = parseNot();
      depth--;
      return { op: "not", arg };
    }
    return parseAtom();
  };
  const parseAtom = (): Condition => {
    const tok = tokens[pos++];
    if (tok === undefined) return fail("ends too early");
    switch (tok.t) {
      case "(": {
        enter();
        const inner = parseOr();
        if (tokens[pos++]?.t !== ")") fail("missing ')'");
        depth--;
        return inner;
      }
      case "num":
      case "all": {
        if (tokens[pos++]?.t !== "of") fail("expected 'of'");
        const target = tokens[pos++];
        const pattern = target?.t === "them" ? "them" : target?.t === "id" ? target.v : fail("expected a name or 'them' after 'of'");
        return { op: "of", quantity: tok.t === "all" ? "all" : tok.v, pattern };
      }
      case "id":
        if (tok.v.toLowerCase() === "near") fail("'near' is not supported");
        if (/[*?]/.test(tok.v)) fail(`wildcard name '${tok.v}' outside 'of'`);
        return { op: "ref", name: tok.v };
      default:
        return fail(`unexpected '${tok.t}'`);
    }
  };

  const tree = parseOr();
  if (pos !== tokens.length) fail("unexpected text after the expression");
  return tree;
}

/** Names the `of` pattern selects: `them` is every search identifier not starting with `_`. */
export function namesFor(pattern: string, names: readonly string[]): string[] {
  if (pattern === "them") return names.filter((n) => !n.startsWith("_"));
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return names.filter((n) => re.test(n));
}
