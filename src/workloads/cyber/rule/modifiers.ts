/**
 * Field keys with value modifiers (`CommandLine|contains|all`), read into a ModifierSpec, per the Sigma modifiers
 * appendix v2.1. Unknown or contradictory modifiers make the rule unsupported rather than guessed at.
 */
import { UnsupportedRule } from "./unsupported.ts";
import type { Encoding } from "./encode.ts";

export type Match = "eq" | "contains" | "startswith" | "endswith";
export type Compare = "lt" | "lte" | "gt" | "gte";
export type TimePart = "minute" | "hour" | "day" | "week" | "month" | "year";
export type Transform = { kind: "windash" } | { kind: "encode"; encoding: Encoding } | { kind: "base64" } | { kind: "base64offset" } | { kind: "expand" };

export interface ModifierSpec {
  /** null: a keyword search through every value of the event. */
  field: string | null;
  /** How the value meets the field: a string match, or one of the special kinds. */
  kind: "string" | "re" | "cidr" | "compare" | "exists" | "fieldref";
  match: Match;
  compare?: Compare;
  reFlags: string;
  all: boolean;
  cased: boolean;
  neq: boolean;
  time?: TimePart;
  /** Value transformations, in the order written (order matters: `wide|base64offset`). */
  transforms: Transform[];
}

const STRING_MATCH = new Set<string>(["contains", "startswith", "endswith"]);
const COMPARE = new Set<string>(["lt", "lte", "gt", "gte"]);
const TIME = new Set<string>(["minute", "hour", "day", "week", "month", "year"]);
const ENCODINGS: Record<string, Encoding> = { utf16le: "utf16le", wide: "utf16le", utf16be: "utf16be", utf16: "utf16" };

export function parseKey(key: string | null): ModifierSpec {
  const parts = key === null ? [""] : key.split("|");
  const field = parts[0] === "" ? null : parts[0]!;
  const spec: ModifierSpec = { field, kind: "string", match: "eq", reFlags: "", all: false, cased: false, neq: false, transforms: [] };
  const setKind = (kind: ModifierSpec["kind"], name: string): void => {
    if (spec.kind !== "string" && spec.kind !== kind) throw new UnsupportedRule(`modifier '${name}' cannot be combined with '${spec.kind}'`);
    spec.kind = kind;
  };
  for (const raw of parts.slice(1)) {
    const m = raw.trim().toLowerCase();
    if (STRING_MATCH.has(m)) {
      if (spec.match !== "eq" && spec.match !== m) throw new UnsupportedRule(`modifiers '${spec.match}' and '${m}' conflict`);
      spec.match = m as Match;
    } else if (COMPARE.has(m)) {
      setKind("compare", m);
      spec.compare = m as Compare;
    } else if (TIME.has(m)) {
      spec.time = m as TimePart;
    } else if (m in ENCODINGS) {
      spec.transforms.push({ kind: "encode", encoding: ENCODINGS[m]! });
    } else if (m === "i" || m === "m" || m === "s") {
      if (spec.kind !== "re") throw new UnsupportedRule(`modifier '${m}' is only valid after 're'`);
      if (!spec.reFlags.includes(m)) spec.reFlags += m;
    } else {
      switch (m) {
        case "all": spec.all = true; break;
        case "cased": spec.cased = true; break;
        case "neq": spec.neq = true; break;
        case "re": setKind("re", m); break;
        case "cidr": setKind("cidr", m); break;
        case "exists": setKind("exists", m); break;
        case "fieldref": setKind("fieldref", m); break;
        case "windash": spec.transforms.push({ kind: "windash" }); break;
        case "base64": spec.transforms.push({ kind: "base64" }); break;
        case "base64offset": spec.transforms.push({ kind: "base64offset" }); break;
        case "expand": spec.transforms.push({ kind: "expand" }); break;
        default: throw new UnsupportedRule(`unknown modifier '${raw}'`);
      }
    }
  }
  // A keyword is searched for anywhere in the event's text, as full-text search backends do.
  if (spec.field === null && spec.match === "eq") spec.match = "contains";
  if (spec.field === null && (spec.kind !== "string" || spec.time !== undefined)) {
    throw new UnsupportedRule(`modifier '${spec.kind}' needs a field`);
  }
  if (spec.kind !== "string" && spec.kind !== "fieldref" && spec.match !== "eq") {
    throw new UnsupportedRule(`'${spec.match}' cannot be combined with '${spec.kind}'`);
  }
  if (spec.transforms.some((t) => t.kind !== "expand") && spec.kind !== "string") {
    throw new UnsupportedRule(`value transformations cannot be combined with '${spec.kind}'`);
  }
  if (spec.time !== undefined && spec.kind !== "string" && spec.kind !== "compare") {
    throw new UnsupportedRule(`time modifier '${spec.time}' cannot be combined with '${spec.kind}'`);
  }
  return spec;
}
