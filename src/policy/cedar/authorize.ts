/**
 * Authorization: one Cedar question per request, principal x capability x resource x context, answered from a
 * validated bundle. The decision names the policies that decided it and the refusal code to report.
 */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { levelRank, type Level } from "../levels.ts";
import type { ProhibitedReason } from "../prohibited/detect.ts";
import { compileBundle, type PolicyBundle } from "./bundle.ts";

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
  const policies = { staticPolicies: bundle.policies };

  const authorize = (req: AuthorizationRequest): AuthorizationDecision => {
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
    const answer = cedar.isAuthorized({
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
      schema: bundle.schema,
      validateRequest: true,
      policies,
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
