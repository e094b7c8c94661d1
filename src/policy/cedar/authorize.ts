/**
 * Authorization: one Cedar question per request, principal x capability x resource x context, answered from a
 * validated bundle. The decision names the policies that decided it and the refusal code to report.
 */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { levelRank, type Level } from "../levels.ts";
import type { ProhibitedReason } from "../prohibited/detect.ts";
import { compileBundle, PolicyError, type PolicyBundle } from "./bundle.ts";

export interface AuthorizationPrincipal {
  readonly nation: string;
  readonly subject: string;
  readonly roles: readonly string[];
  /** Defaults to the network's ceiling: everyone on the network is cleared to what it carries. */
  readonly clearance?: Level | string | number;
}

export interface AuthorizationResource {
  /** "request" (default), "document", "review", "audit", "policy", "proposal", "key". */
  readonly kind?: string;
  readonly id?: string;
  /** Owning nation; defaults to the principal's. */
  readonly nation?: string;
  /** Nations allowed to read it; defaults to all (["*"] is not special: list them). */
  readonly releasableTo?: readonly string[];
}

export interface AuthorizationContext {
  readonly purpose?: string;
  /** Highest marking level found in the request (from scanMarkings), if any. */
  readonly maxLevel?: Level | string | number | null;
  readonly prohibited?: { readonly reason: ProhibitedReason } | null;
  readonly personalData?: number;
  readonly endpointInResidency?: boolean;
}

export interface AuthorizationRequest {
  readonly principal: AuthorizationPrincipal;
  /** A capability: "chat", "chat.<purpose>", "embeddings", "documents.search", "admin.audit", ... */
  readonly action: string;
  readonly resource?: AuthorizationResource;
  readonly context?: AuthorizationContext;
}

export interface AuthorizationDecision {
  readonly decision: "allow" | "deny";
  /** Ids of the policies that decided (the permits that allowed, or the forbids that denied). */
  readonly reasons: readonly string[];
  /** For a deny: the error code to answer with (prohibited_use, classification_exceeded or forbidden). */
  readonly code: "prohibited_use" | "classification_exceeded" | "forbidden" | null;
  /** The action Cedar evaluated (an unknown chat purpose is evaluated as "chat"). */
  readonly action: string;
  /** Evaluation errors, if any (a policy that errors is skipped by Cedar: deny by default). */
  readonly errors: readonly string[];
}

export interface Authorizer {
  authorize(request: AuthorizationRequest): AuthorizationDecision;
  /** SHA-256 (hex) of the policy bundle in force; audit entries record it. */
  readonly policyVersion: string;
  readonly actions: ReadonlySet<string>;
}

export interface AuthorizerOptions {
  readonly policies?: PolicyBundle;
  /** The network's ceiling (default NATO UNCLASSIFIED). */
  readonly ceiling?: Level | string;
}

const CODE_ORDER = ["prohibited_use", "classification_exceeded", "forbidden"] as const;

function actionsOf(schema: string): Set<string> {
  const json = cedar.schemaToJson(schema);
  if (json.type === "failure") return new Set();
  return new Set(Object.values(json.json).flatMap((ns) => Object.keys(ns.actions ?? {})));
}

export function createAuthorizer(options: AuthorizerOptions = {}): Authorizer {
  const bundle = compileBundle(options.policies);
  const ceiling = levelRank(options.ceiling ?? "NATO UNCLASSIFIED");
  const actions = actionsOf(bundle.schema);
  // Parsing the schema and policies dominates a call (about 6 ms here); cedar-wasm caches preparsed sets under an
  // id, so each bundle is parsed once. The id is the bundle's version: two authorizers of one bundle share it.
  const cacheId = `concord-${bundle.version}`;
  const schemaParsed = cedar.preparseSchema(cacheId, bundle.schema);
  const policiesParsed = cedar.preparsePolicySet(cacheId, { staticPolicies: bundle.policies });
  if (schemaParsed.type === "failure" || policiesParsed.type === "failure") {
    const errors = [...(schemaParsed.type === "failure" ? schemaParsed.errors : []), ...(policiesParsed.type === "failure" ? policiesParsed.errors : [])];
    throw new PolicyError("the Cedar bundle does not parse", errors.map((e) => e.message));
  }

  // A decision is a pure function of the request and this bundle, so repeated questions (the same analyst chatting)
  // are answered from a bounded memo instead of the Wasm evaluator.
  const memo = new Map<string, AuthorizationDecision>();
  const authorize = (req: AuthorizationRequest): AuthorizationDecision => {
    const key = JSON.stringify(req);
    const hit = memo.get(key);
    if (hit) return hit;
    const decision = evaluate(req);
    if (memo.size >= 10_000) memo.clear();
    memo.set(key, decision);
    return decision;
  };

  const evaluate = (req: AuthorizationRequest): AuthorizationDecision => {
    let action = req.action;
    let purpose = req.context?.purpose ?? "";
    if (!actions.has(action) && action.startsWith("chat.")) {
      purpose ||= action.slice(5);
      action = "chat";
    }
    if (!actions.has(action) || action === "workload" || action === "admin") {
      return { decision: "deny", reasons: [], code: "forbidden", action, errors: [`"${req.action}" is not a capability`] };
    }
    const p = req.principal;
    const r = req.resource ?? {};
    const ctx = req.context ?? {};
    const maxLevel = ctx.maxLevel === undefined || ctx.maxLevel === null ? -1 : levelRank(ctx.maxLevel);
    const userUid = { type: "Concord::User", id: `${p.nation}/${p.subject}` };
    const resourceUid = { type: "Concord::Resource", id: `${r.kind ?? "request"}/${r.id ?? ""}` };
    const answer = cedar.statefulIsAuthorized({
      principal: userUid,
      action: { type: "Concord::Action", id: action },
      resource: resourceUid,
      context: {
        purpose,
        ceiling,
        max_level: maxLevel,
        prohibited: ctx.prohibited != null,
        prohibited_reason: ctx.prohibited?.reason ?? "",
        personal_data: ctx.personalData ?? 0,
        endpoint_in_residency: ctx.endpointInResidency ?? true,
      },
      preparsedSchemaName: cacheId,
      validateRequest: true,
      preparsedPolicySetId: cacheId,
      entities: [
        { uid: userUid, attrs: { nation: p.nation, roles: [...p.roles], clearance: p.clearance === undefined ? ceiling : levelRank(p.clearance) }, parents: [] },
        { uid: resourceUid, attrs: { kind: r.kind ?? "request", nation: r.nation ?? p.nation, releasable_to: [...(r.releasableTo ?? [p.nation])] }, parents: [] },
      ],
    });
    if (answer.type === "failure") {
      return { decision: "deny", reasons: [], code: "forbidden", action, errors: answer.errors.map((e) => e.message) };
    }
    const { decision, diagnostics } = answer.response;
    const reasons = [...diagnostics.reason].sort();
    const errors = diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`);
    if (decision === "allow") return { decision, reasons, code: null, action, errors };
    const codes = new Set(reasons.map((id) => bundle.codes.get(id) ?? "forbidden"));
    const code = CODE_ORDER.find((c) => codes.has(c)) ?? "forbidden";
    return { decision, reasons, code, action, errors };
  };

  return { authorize, policyVersion: bundle.version, actions };
}
