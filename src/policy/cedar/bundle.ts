/**
 * A policy bundle: the schema, the alliance's base policies and each nation's own policies. Nation policies
 * may only restrict: every one must be a forbid, and each is narrowed to its own nation's principals, so a
 * nation can tighten what its people may do and nothing else. Validated against the schema (strict mode).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import type { DetailedError, PolicyJson } from "@cedar-policy/cedar-wasm/nodejs";
import { ConfigError } from "../../errors/index.ts";

export interface PolicyBundle {
  /** Cedar schema text; default: the schema shipped in the repo. */
  readonly schema?: string;
  /** Base policies text; default: the policies shipped in the repo. */
  readonly base?: string;
  /** Nation (ISO alpha-3) to its policies text. */
  readonly nations?: Readonly<Record<string, string>>;
}

export interface CompiledBundle {
  readonly schema: string;
  /** Policy id to Cedar policy (JSON for nation policies, which gain their nation condition). */
  readonly policies: Record<string, string | PolicyJson>;
  /** Policy id to the refusal code its @code annotation names. */
  readonly codes: ReadonlyMap<string, string>;
  /** SHA-256 (hex) of the bundle's canonical text. */
  readonly version: string;
}

/** A policy bundle that does not parse, validate, or keeps a nation's policies from only restricting. */
export class PolicyError extends ConfigError {
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[]) {
    super(`${message}: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

const here = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");
export const DEFAULT_SCHEMA = here("./concord.cedarschema");
export const DEFAULT_POLICIES = here("./default.cedar");

function describe(errors: readonly DetailedError[]): string[] {
  return errors.map((e) => (e.help ? `${e.message} (${e.help})` : e.message));
}

interface ParsedPolicy {
  readonly text: string;
  readonly json: PolicyJson;
}

export function parsePolicies(text: string, source: string): ParsedPolicy[] {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === "failure") throw new PolicyError(`${source} does not parse`, describe(parts.errors));
  if (parts.policy_templates.length > 0) throw new PolicyError(`${source}`, ["templates are not supported; write static policies"]);
  return parts.policies.map((p) => {
    const json = cedar.policyToJson(p);
    if (json.type === "failure") throw new PolicyError(`${source} does not parse`, describe(json.errors));
    return { text: p, json: json.json };
  });
}

/** Problems that make a nation's policies more than a restriction (empty when they only forbid). */
export function restrictionProblems(policies: readonly ParsedPolicy[], source: string): string[] {
  return policies.flatMap((p, i) =>
    p.json.effect === "forbid" ? [] : [`policy ${p.json.annotations?.id ?? i + 1} of the ${source} is a permit; a nation's policies may only forbid`],
  );
}

function scopedToNation(json: PolicyJson, nation: string): PolicyJson {
  const principalNation = { ".": { left: { Var: "principal" as const }, attr: "nation" } };
  return { ...json, conditions: [...json.conditions, { kind: "when", body: { "==": { left: principalNation, right: { Value: nation } } } }] };
}

export function validationProblems(schema: string, policies: Record<string, string | PolicyJson>): string[] {
  const answer = cedar.validate({ schema, policies: { staticPolicies: policies }, validationSettings: { mode: "strict" } });
  if (answer.type === "failure") return describe(answer.errors);
  return answer.validationErrors.map((e) => describe([e.error]).join(""));
}

export function compileBundle(bundle: PolicyBundle = {}): CompiledBundle {
  const schema = bundle.schema ?? DEFAULT_SCHEMA;
  const schemaCheck = cedar.checkParseSchema(schema);
  if (schemaCheck.type === "failure") throw new PolicyError("the Cedar schema does not parse", describe(schemaCheck.errors));
  const base = bundle.base ?? DEFAULT_POLICIES;
  const nations = Object.entries(bundle.nations ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const policies: Record<string, string | PolicyJson> = {};
  const codes = new Map<string, string>();
  const add = (id: string, policy: string | PolicyJson, json: PolicyJson) => {
    if (id in policies) throw new PolicyError("duplicate policy id", [id]);
    policies[id] = policy;
    const code = json.annotations?.code;
    if (code !== undefined) codes.set(id, code);
  };
  parsePolicies(base, "base policies").forEach((p, i) => add(p.json.annotations?.id ?? `base.${i + 1}`, p.text, p.json));
  for (const [nation, text] of nations) {
    if (!/^[A-Z]{3}$/.test(nation)) throw new PolicyError("nation policies", [`"${nation}" is not an ISO 3166-1 alpha-3 code`]);
    const parsed = parsePolicies(text, `${nation} policies`);
    const problems = restrictionProblems(parsed, `${nation} policies`);
    if (problems.length > 0) throw new PolicyError(`${nation} policies widen access`, problems);
    parsed.forEach((p, i) => {
      const json = scopedToNation(p.json, nation);
      add(`${nation}.${p.json.annotations?.id ?? i + 1}`, json, json);
    });
  }
  const problems = validationProblems(schema, policies);
  if (problems.length > 0) throw new PolicyError("policies do not validate against the schema", problems);

  const canonical = ["schema", schema, "base", base, ...nations.flatMap(([n, t]) => [`nation ${n}`, t])].join("\n\u0000\n");
  const version = createHash("sha256").update(canonical, "utf8").digest("hex");
  return { schema, policies, codes, version };
}
