import { createHash } from "node:crypto";
import { canonicalJson } from "../audit/index.ts";
import type { Config } from "../config/index.ts";

/**
 * The version of the policy in force: SHA-256 over the canonical JSON of every configuration section that
 * decides what is allowed (ceiling, residency, oversight, governance). Identity and endpoints are operations.
 */
export function policyVersionOf(cfg: Config): string {
  const bundle = {
    ceiling: cfg.network.ceiling,
    residency: Object.fromEntries(Object.entries(cfg.nations).map(([k, n]) => [k, { residency: n.residency, redact: n.redact_personal_data }])),
    jurisdictions: cfg.jurisdictions,
    oversight: cfg.oversight,
    governance: cfg.governance,
  };
  return createHash("sha256").update(canonicalJson(bundle)).digest("hex");
}
