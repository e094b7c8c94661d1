/**
 * The policy bundle: every rule that decides what the gateway allows, in one document that is versioned and
 * content-addressed (SHA-256 of its canonical JSON). Only an adopted proposal replaces the bundle in force;
 * the configuration file seeds the first one (the genesis bundle) and nothing more.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "../audit/index.ts";
import { parseDuration, type Config } from "../config/index.ts";
import { InvalidRequest } from "../errors/index.ts";
import { DEFAULT_POLICIES, levelRank } from "../policy/index.ts";
import { formatDuration } from "./duration.ts";

const DurationText = z.string().refine((t) => parseDuration(t) !== null, "a duration such as 30m, 72h or 7d");
const Capability = z.string().regex(/^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$/, "a capability such as chat.intelligence_summary, comms.* or *");

/** Stronger enforcement ranks higher; a red line may move up this scale, never down. */
export const ENFORCEMENT = ["log", "review", "refuse"] as const;

export const ProhibitedUseRule = z
  .object({
    /** The reason code refusals carry, e.g. `mass_surveillance`. */
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    description: z.string().min(1),
    enforcement: z.enum(ENFORCEMENT),
    /** Capabilities the rule applies to; `*` is every capability, `comms.*` a family. */
    capabilities: z.array(Capability).min(1),
    /** What the rule forbids, one kind of request per item; the guard's detectors are tested against these. */
    covers: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type ProhibitedUseRule = z.infer<typeof ProhibitedUseRule>;

export const Quorum = z.union([
  z.literal("all"),
  z.number().int().positive(),
  z.object({ mode: z.literal("silence"), deadline: DurationText }).strict(),
]);
export type Quorum = z.infer<typeof Quorum>;

export const OversightSettings = z
  .object({
    review: z.array(z.string().min(1)),
    approvals_required: z.number().int().min(1),
    reviewers: z.enum(["other_nation", "any"]),
    expiry: DurationText,
  })
  .strict();
export type OversightSettings = z.infer<typeof OversightSettings>;

export const PolicyBundle = z
  .object({
    format: z.literal("concord-policy-bundle/1"),
    /** Highest classification the network may carry. */
    ceiling: z.string().refine((c) => { try { levelRank(c); return true; } catch { return false; } }, "a NATO classification level"),
    guard: z
      .object({
        scan_input: z.boolean(),
        scan_output: z.boolean(),
        /** Endpoint id of an LLM giving a second opinion on prohibited uses, or null. */
        second_opinion: z.string().nullable(),
      })
      .strict(),
    prohibited_uses: z.array(ProhibitedUseRule),
    /** Cedar policies by id; a nation's own policies may only restrict (checked by the policy guard). */
    cedar: z.array(z.object({ id: z.string().min(1), text: z.string() }).strict()),
    residency: z.record(z.string().regex(/^[A-Z]{3}$/), z.object({ residency: z.array(z.string().min(2)).min(1), redact_personal_data: z.enum(["outside_residency", "always", "never"]) }).strict()),
    jurisdictions: z.record(z.string().min(2), z.array(z.string().min(2))),
    oversight: OversightSettings,
    governance: z.object({ quorum: Quorum }).strict(),
  })
  .strict();
export type PolicyBundle = z.infer<typeof PolicyBundle>;

/** The alliance's founding red lines (DESIGN.md): present in every genesis bundle, never weakened after. */
export const FOUNDING_RED_LINES: readonly ProhibitedUseRule[] = [
  {
    id: "mass_surveillance",
    description: "No mass surveillance of people or populations.",
    enforcement: "refuse",
    capabilities: ["*"],
    covers: [
      "bulk identification of people",
      "tracking or profiling of people",
      "monitoring populations or individuals' communications",
      "facial or biometric identification",
    ],
  },
  {
    id: "autonomous_weapons",
    description: "No autonomous weapons: no engagement decision without a human.",
    enforcement: "refuse",
    capabilities: ["*"],
    covers: ["weapon guidance", "engagement decisions without a human"],
  },
  {
    id: "targeting",
    description: "No targeting: no selection of targets or strike coordinates.",
    enforcement: "refuse",
    capabilities: ["*"],
    covers: ["target selection or nomination", "strike or fire coordinates"],
  },
];

/** SHA-256 (hex) of the bundle's canonical JSON: its version. */
export function bundleHash(bundle: PolicyBundle): string {
  return createHash("sha256").update(canonicalJson(bundle)).digest("hex");
}

/** Validates an untrusted bundle document, naming the first bad field. */
export function parseBundle(input: unknown): PolicyBundle {
  const r = PolicyBundle.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InvalidRequest(`invalid policy bundle${issue?.path.length ? ` at ${issue.path.join(".")}` : ""}: ${issue?.message ?? "invalid"}`, { param: "bundle" });
  }
  return r.data;
}

/** The Cedar policies a genesis bundle starts from: the repo's defaults, as the "base" policy set. */
export const GENESIS_CEDAR: PolicyBundle["cedar"] = [{ id: "base", text: DEFAULT_POLICIES }];

/** The genesis bundle: what the configuration file says, with the founding red lines and the default Cedar policies. */
export function bundleFromConfig(cfg: Config, cedar: PolicyBundle["cedar"] = GENESIS_CEDAR): PolicyBundle {
  const q = cfg.governance.quorum;
  return {
    format: "concord-policy-bundle/1",
    ceiling: cfg.network.ceiling,
    guard: { scan_input: true, scan_output: true, second_opinion: null },
    prohibited_uses: FOUNDING_RED_LINES.map((r) => ({ ...r, capabilities: [...r.capabilities], covers: [...r.covers] })),
    cedar: cedar.map((c) => ({ ...c })),
    residency: Object.fromEntries(Object.entries(cfg.nations).map(([k, n]) => [k, { residency: [...n.residency], redact_personal_data: n.redact_personal_data }])),
    jurisdictions: structuredClone(cfg.jurisdictions),
    oversight: { review: [...cfg.oversight.review], approvals_required: cfg.oversight.approvals_required, reviewers: cfg.oversight.reviewers, expiry: formatDuration(cfg.oversight.expiry) },
    governance: { quorum: typeof q === "object" ? { mode: "silence", deadline: formatDuration(q.deadline) } : q },
  };
}

/** Whether the scopes cover a whole scope (a capability, a family `x.*`, or `*`). */
function scopeCovers(scopes: readonly string[], scope: string): boolean {
  if (scopes.includes("*")) return true;
  if (scope === "*") return false;
  if (!scope.endsWith(".*")) return coversCapability(scopes, scope);
  const family = scope.slice(0, -2);
  return scopes.some((s) => s.endsWith(".*") && (family === s.slice(0, -2) || family.startsWith(s.slice(0, -1))));
}

const norm = (s: string) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

/** Whether a rule scoped to `scopes` applies to `capability` (`*` everything, `x.*` the family x). */
export function coversCapability(scopes: readonly string[], capability: string): boolean {
  return scopes.some((s) => s === "*" || s === capability || (s.endsWith(".*") && (capability === s.slice(0, -2) || capability.startsWith(s.slice(0, -1)))));
}

/**
 * The red lines no vote can move: every prohibited-use rule in force stays, with enforcement at least as strong,
 * on at least the same capabilities, covering at least the same requests; the ceiling never rises; the guard's
 * scans never switch off. Returns one sentence per weakening (empty: none).
 */
export function redLineWeakenings(current: PolicyBundle, proposed: PolicyBundle): string[] {
  const out: string[] = [];
  if (levelRank(proposed.ceiling) > levelRank(current.ceiling)) out.push(`it raises the classification ceiling from ${current.ceiling} to ${proposed.ceiling}`);
  if (current.guard.scan_input && !proposed.guard.scan_input) out.push("it switches off the classification scan of requests");
  if (current.guard.scan_output && !proposed.guard.scan_output) out.push("it switches off the classification scan of model outputs");
  for (const rule of current.prohibited_uses) {
    const next = proposed.prohibited_uses.find((r) => r.id === rule.id);
    if (!next) { out.push(`it removes the prohibited-use rule ${rule.id}`); continue; }
    if (ENFORCEMENT.indexOf(next.enforcement) < ENFORCEMENT.indexOf(rule.enforcement)) out.push(`it lowers the enforcement of ${rule.id} from ${rule.enforcement} to ${next.enforcement}`);
    const lost = rule.capabilities.filter((c) => !scopeCovers(next.capabilities, c));
    if (lost.length) out.push(`it narrows ${rule.id} so it no longer applies to ${lost.join(", ")}`);
    const kept = new Set(next.covers.map(norm));
    const dropped = rule.covers.filter((c) => !kept.has(norm(c)));
    if (dropped.length) out.push(`it drops from ${rule.id}: ${dropped.map((d) => `"${d}"`).join(", ")}`);
  }
  return out;
}
