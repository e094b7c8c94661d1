/**
 * Checks policy files on their own (for `concord policy check`): a schema file parses; a policy file parses
 * and validates against the schema; a nation's file (named DEU.cedar, or checked with a nation) only forbids.
 */
import { basename } from "node:path";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { DEFAULT_SCHEMA, parsePolicies, PolicyError, restrictionProblems, validationProblems } from "./bundle.ts";

export interface FileCheck {
  readonly file: string;
  readonly ok: boolean;
  /** What was checked: "schema", "base policies" or "DEU policies". */
  readonly kind: string;
  readonly policies: number;
  readonly problems: readonly string[];
}

const NATION_FILE = /^([A-Z]{3})(?:[._-][^/]*)?\.cedar$/;

export function checkPolicyFile(file: string, text: string, opts: { schema?: string; nation?: string } = {}): FileCheck {
  if (file.endsWith(".cedarschema")) {
    const answer = cedar.checkParseSchema(text);
    const problems = answer.type === "failure" ? answer.errors.map((e) => e.message) : [];
    return { file, ok: problems.length === 0, kind: "schema", policies: 0, problems };
  }
  const nation = opts.nation ?? NATION_FILE.exec(basename(file))?.[1];
  const kind = nation === undefined ? "base policies" : `${nation} policies`;
  try {
    const parsed = parsePolicies(text, kind);
    const problems = nation === undefined ? [] : restrictionProblems(parsed, kind);
    const byId: Record<string, string> = {};
    parsed.forEach((p, i) => (byId[p.json.annotations?.id ?? `policy ${i + 1}`] = p.text));
    problems.push(...validationProblems(opts.schema ?? DEFAULT_SCHEMA, byId));
    return { file, ok: problems.length === 0, kind, policies: parsed.length, problems };
  } catch (err) {
    if (err instanceof PolicyError) return { file, ok: false, kind, policies: 0, problems: err.problems };
    throw err;
  }
}
