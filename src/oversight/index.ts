/**
 * Human oversight and consent governance, the only door into `oversight/`:
 *   reviews     high-risk results held until distinct eligible reviewers approve (four-eyes), expiry
 *   governance  the policy bundle in force, proposals signed by the nations, quorum, red lines
 *   provenance  AI-generated labels and the gateway's signature over each model output
 *   annex-iv    technical documentation of the running configuration
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../audit/index.ts";
import type { Config } from "../config/index.ts";
import { bundleFromConfig, type OversightSettings, type PolicyBundle } from "./bundle.ts";
import { Governance, type Active, type GovernanceEvent } from "./governance.ts";
import { loadGovernanceKeys, type GovernanceKeys } from "./governance-keys.ts";
import { loadOrCreateProvenanceKey, type ProvenanceKey } from "./provenance.ts";
import type { OversightStore } from "./records.ts";
import { ReviewQueue } from "./reviews.ts";
import { openOversightStore } from "./store/index.ts";

export {
  PolicyBundle, ProhibitedUseRule, Quorum, OversightSettings, FOUNDING_RED_LINES, ENFORCEMENT,
  bundleHash, bundleFromConfig, parseBundle, redLineWeakenings, coversCapability,
} from "./bundle.ts";
export { decideQuorum, deadlineOf, type QuorumState, type Votes } from "./quorum.ts";
export { proposalText, parseProposalText, signLine, verifyApprovalLine, signedBy, NOTE_HEADER, type ProposalStatement } from "./proposal-note.ts";
export { loadGovernanceKeys, nationVerifier, loadOrCreateDemoGovernanceKey, readDemoGovernanceVerifier, governanceKeyName, type GovernanceKeys } from "./governance-keys.ts";
export { Governance, type GovernanceEvent, type Active } from "./governance.ts";
export { ReviewQueue, viewOf, boundRequest, REQUEST_LIMIT_BYTES, type ReviewView, type HoldRequest } from "./reviews.ts";
export { checkReviewer, mayPoll, queueView } from "./four-eyes.ts";
export {
  generatedOutput, signProvenance, verifyProvenance, loadOrCreateProvenanceKey, publicKeyFromBase64, disclosureHeader, labelBody, sha256Hex,
  ProvenanceRecord, PROVENANCE_HEADER, DISCLOSURE_HEADER, PROVENANCE_PUB_FILE, type ProvenanceKey, type ProvenanceCheck,
} from "./provenance.ts";
export { verifyPolicyRecord, type PolicyRecord, type PolicyVerification } from "./verify-policy.ts";
export { annexIv, type AnnexIvInput } from "./annex-iv.ts";
export { openOversightStore } from "./store/index.ts";
export type { ReviewRecord, ReviewStatus, ProposalRecord, ProposalStatus, Adoption, Act, HeldResult, HeldRequestBody, OversightStore } from "./records.ts";

/** The oversight services one gateway process uses. */
export interface Oversight {
  readonly reviews: ReviewQueue;
  readonly governance: Governance;
  readonly keys: GovernanceKeys;
  readonly provenance: ProvenanceKey;
  /** SHA-256 of the bundle in force; changes the moment a proposal is adopted. */
  policyVersion(): string;
  bundle(): PolicyBundle;
  settings(): OversightSettings;
  /** Calls `fn` with each bundle adopted from now on (e.g. to rebuild the Cedar authorizer); returns an unsubscribe. */
  onAdopt(fn: (a: Active) => void): () => void;
  /** Expires held results and settles proposals whose deadline passed; also run on a timer. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

export interface OversightOptions {
  /** Appends one audit entry (the gateway's `audit.append`). */
  readonly appendAudit: (entry: Record<string, unknown>) => Promise<{ index: number }>;
  /** Injectable clock (ms since the epoch); tests freeze it. */
  readonly now?: () => number;
  readonly store?: OversightStore;
  /** Cedar policies the genesis bundle starts with. */
  readonly cedar?: PolicyBundle["cedar"];
  /** How often to expire reviews and settle silence deadlines; 0 disables the timer. */
  readonly tickMs?: number;
  readonly onError?: (err: unknown) => void;
}

export async function createOversight(cfg: Config, opts: OversightOptions): Promise<Oversight> {
  const now = opts.now ?? Date.now;
  const store = opts.store ?? (await openOversightStore(cfg.store.url));
  const keys = loadGovernanceKeys(cfg);
  const provenance = loadOrCreateProvenanceKey(cfg.data_dir);
  let governance: Governance | undefined;
  const audit = async (e: GovernanceEvent) => {
    const { action, nation, subject, reason, detail, ...extra } = e;
    const entry = {
      time: new Date(now()).toISOString(),
      nation, subject, action,
      decision: e.action === "governance.object" || e.action === "governance.reject" ? "deny" : "allow",
      reason,
      policy_version: governance?.version() ?? "genesis",
      endpoint: null, jurisdiction: null,
      request_sha256: createHash("sha256").update(canonicalJson(e)).digest("hex"),
      response_sha256: null,
      ...extra,
      ...(detail ? { detail } : {}),
    };
    return opts.appendAudit(entry);
  };
  const listeners = new Set<(a: Active) => void>();
  const onAdopt = (a: Active) => {
    for (const fn of listeners) {
      try { fn(a); } catch (err) { opts.onError?.(err); }
    }
  };
  governance = await Governance.open({ store, keys, network: cfg.network.name, members: Object.keys(cfg.nations), now, audit, onAdopt }, bundleFromConfig(cfg, opts.cedar));
  const g = governance;
  const reviews = new ReviewQueue(store, () => g.bundle().oversight, now);
  const tick = async () => {
    await reviews.expire();
    await reviews.erase((nation) => cfg.nations[nation]?.retention);
    await g.tick();
  };
  const timer = opts.tickMs === 0 ? null : setInterval(() => void tick().catch((err) => opts.onError?.(err)), opts.tickMs ?? 30_000);
  timer?.unref();
  return {
    reviews, governance: g, keys, provenance,
    policyVersion: () => g.version(),
    bundle: () => g.bundle(),
    settings: () => g.bundle().oversight,
    onAdopt(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    tick,
    async close() {
      if (timer) clearInterval(timer);
      if (!opts.store) await store.close();
    },
  };
}
export { annexIvDocument } from "./docs.ts";
export { exportNation, verifyNationExport, type NationExport } from "./nation-export.ts";
