/**
 * Consent governance: the bundle in force, proposals to replace it, signed approvals, objections, and adoption
 * when the quorum of the bundle in force holds. Adoption swaps the in-memory version at once (no restart); every
 * replica picks it up from the shared store on its next refresh.
 */
import { randomBytes } from "node:crypto";
import type { NoteSigner } from "../audit/index.ts";
import { Forbidden, InvalidRequest, NotFound } from "../errors/index.ts";
import type { Principal } from "../identity/index.ts";
import { bundleHash, parseBundle, redLineWeakenings, type PolicyBundle } from "./bundle.ts";
import type { GovernanceKeys } from "./governance-keys.ts";
import { appendLine, proposalText, signLine, signedBy, verifyApprovalLine } from "./proposal-note.ts";
import { decideQuorum, deadlineOf } from "./quorum.ts";
import type { Act, Adoption, OversightStore, ProposalRecord, ProposalStatus } from "./records.ts";

/** What governance tells the audit log: one entry per proposal, approval, objection and adoption. */
export interface GovernanceEvent {
  readonly action: "governance.propose" | "governance.approve" | "governance.object" | "governance.adopt" | "governance.reject" | "governance.supersede";
  readonly nation: string | null;
  readonly subject: string | null;
  readonly proposal_id: string;
  readonly bundle_sha256: string;
  /** Stable reason code (`ok`, `objection`, `quorum_reached`, `quorum_failed`, `red_line`, `superseded`). */
  readonly reason: string;
  /** The sentence behind the code, e.g. which nations objected. */
  readonly detail?: string;
}

export interface Active {
  readonly version: string;
  readonly bundle: PolicyBundle;
  readonly adoption: Adoption;
}

export interface GovernanceOptions {
  readonly store: OversightStore;
  readonly keys: GovernanceKeys;
  readonly network: string;
  readonly members: readonly string[];
  readonly now: () => number;
  /** Appends an audit entry; adoption is not final until it is recorded. */
  readonly audit: (e: GovernanceEvent) => Promise<unknown>;
  /** Called after each adoption, with the new version in force. */
  readonly onAdopt?: (a: Active) => void;
}

export class Governance {
  private active!: Active;

  private constructor(private readonly o: GovernanceOptions) {}

  /** Loads the bundle in force, seeding the store with the genesis bundle on first start. */
  static async open(o: GovernanceOptions, genesis: PolicyBundle): Promise<Governance> {
    const g = new Governance(o);
    if ((await o.store.adoptions()).length === 0) {
      const version = bundleHash(genesis);
      await o.store.putBundle(version, JSON.stringify(genesis));
      await o.store.adopt({ version, parent: null, proposal_id: null, adopted_at: o.now() });
    }
    await g.refresh();
    return g;
  }

  version(): string {
    return this.active.version;
  }

  bundle(): PolicyBundle {
    return this.active.bundle;
  }

  /** Re-reads the head of the adoption history (another replica may have adopted). */
  async refresh(): Promise<void> {
    const history = await this.o.store.adoptions();
    const head = history.at(-1);
    if (!head) throw new InvalidRequest("the governance store holds no bundle in force");
    if (this.active?.version === head.version) return;
    const json = await this.o.store.getBundle(head.version);
    if (!json) throw new InvalidRequest(`bundle ${head.version} is missing from the governance store`);
    this.active = { version: head.version, bundle: parseBundle(JSON.parse(json)), adoption: head };
    this.o.onAdopt?.(this.active);
  }

  async history(): Promise<Adoption[]> {
    return this.o.store.adoptions();
  }

  async bundleByVersion(version: string): Promise<PolicyBundle | null> {
    const json = await this.o.store.getBundle(version);
    return json ? parseBundle(JSON.parse(json)) : null;
  }

  async get(id: string): Promise<ProposalRecord> {
    await this.tick();
    const p = await this.o.store.getProposal(id);
    if (!p) throw new NotFound(`no proposal ${id}`);
    return p;
  }

  async list(status?: ProposalStatus): Promise<ProposalRecord[]> {
    await this.tick();
    return this.o.store.listProposals(status);
  }

  /** Validates a proposed bundle against the one in force; red lines refuse it before anyone votes. */
  validate(input: unknown): { bundle: PolicyBundle; version: string } {
    const bundle = parseBundle(input);
    const weak = redLineWeakenings(this.active.bundle, bundle);
    if (weak.length) {
      throw new InvalidRequest(`the bundle weakens a red line, which no vote can change: ${weak.join("; ")}`, { param: "bundle", details: { reason: "red_line" } });
    }
    for (const n of Object.keys(bundle.residency)) if (!this.o.members.includes(n)) throw new InvalidRequest(`the bundle's residency table names ${n}, which is not a member nation`, { param: "bundle" });
    const missing = this.o.members.filter((n) => !bundle.residency[n]);
    if (missing.length) throw new InvalidRequest(`the bundle's residency table leaves out ${missing.join(", ")}; every member nation needs its residency`, { param: "bundle" });
    const version = bundleHash(bundle);
    if (version === this.active.version) throw new InvalidRequest("the proposed bundle is the one already in force");
    return { bundle, version };
  }

  async propose(p: Principal, input: unknown, summary: string): Promise<ProposalRecord> {
    requireAdmin(p);
    const { bundle, version } = this.validate(input);
    await this.o.store.putBundle(version, JSON.stringify(bundle));
    const created = this.o.now();
    const id = `prop_${randomBytes(9).toString("base64url")}`;
    const text = proposalText({ network: this.o.network, id, bundle: version, parent: this.active.version, proposer: p.nation, created: new Date(created).toISOString() });
    const record: ProposalRecord = {
      id, bundle_hash: version, parent_hash: this.active.version, proposer_nation: p.nation, proposer_subject: p.subject,
      summary: summary.slice(0, 2000), created_at: created, text, note: null, members: [...this.o.members], quorum: this.active.bundle.governance.quorum,
      status: "pending", status_reason: "", decided_at: null, approvals: [], objections: [],
    };
    await this.o.store.insertProposal(record);
    await this.o.audit({ action: "governance.propose", nation: p.nation, subject: p.subject, proposal_id: id, bundle_sha256: version, reason: "ok" });
    // Proposing is the proposer nation's approval when the gateway holds its key (a demo nation); a real nation
    // signs the returned text offline and approves like any other.
    if (this.o.keys.demoSigners.has(p.nation)) return this.approve(id, p, "proposer");
    return (await this.settle(id)) ?? record;
  }

  /**
   * A nation's approval: one signature line over the proposal's text with its governance key, sent by one of its
   * admins (made offline with `concord policy sign`), or made here for a demo nation. Forged, foreign and repeated
   * lines are refused and not counted.
   */
  async approve(id: string, p: Principal, comment: string, signature?: string): Promise<ProposalRecord> {
    requireAdmin(p);
    const verifier = this.o.keys.verifiers.get(p.nation);
    if (!verifier) throw new Forbidden(`${p.nation} has no governance key in the configuration (nations.${p.nation}.governance_key), so it cannot sign approvals`);
    const first = await this.get(id);
    if (!first.members.includes(p.nation)) throw new Forbidden(`${p.nation} was not a member nation when ${id} was proposed`);
    let line: string;
    if (signature !== undefined) line = verifyApprovalLine(first.text, signature, p.nation, verifier);
    else {
      const signer: NoteSigner | undefined = this.o.keys.demoSigners.get(p.nation);
      if (!signer) throw new InvalidRequest(`${p.nation} signs offline: run \`concord policy sign --key FILE ${id}\` and send the line as "signature"`, { param: "signature" });
      line = signLine(first.text, signer);
    }
    await this.o.store.updateProposal(id, (cur) => {
      if (cur.status !== "pending") throw new InvalidRequest(`proposal ${id} is ${cur.status}; it can no longer be approved`);
      if (cur.approvals.some((a) => a.nation === p.nation)) throw new Forbidden(`${p.nation} has already approved ${id}; a repeated approval does not count twice`);
      if (cur.objections.some((a) => a.nation === p.nation)) throw new Forbidden(`${p.nation} has objected to ${id}; an objection stands`);
      return { ...cur, note: appendLine(cur.note, cur.text, line), approvals: [...cur.approvals, act(p, comment, this.o.now())] };
    });
    await this.o.audit({ action: "governance.approve", nation: p.nation, subject: p.subject, proposal_id: id, bundle_sha256: first.bundle_hash, reason: "ok" });
    return (await this.settle(id)) ?? (await this.get(id));
  }

  /** An objection: under `all` and `silence` it blocks the proposal; under N it counts against reaching N. */
  async object(id: string, p: Principal, comment: string): Promise<ProposalRecord> {
    requireAdmin(p);
    const first = await this.get(id);
    if (!first.members.includes(p.nation)) throw new Forbidden(`${p.nation} was not a member nation when ${id} was proposed`);
    await this.o.store.updateProposal(id, (cur) => {
      if (cur.status !== "pending") throw new InvalidRequest(`proposal ${id} is ${cur.status}; it can no longer be objected to`);
      if (cur.approvals.some((a) => a.nation === p.nation)) throw new Forbidden(`${p.nation} has already approved ${id}`);
      if (cur.objections.some((a) => a.nation === p.nation)) return null;
      return { ...cur, objections: [...cur.objections, act(p, comment, this.o.now())] };
    });
    await this.o.audit({ action: "governance.object", nation: p.nation, subject: p.subject, proposal_id: id, bundle_sha256: first.bundle_hash, reason: "objection" });
    return (await this.settle(id)) ?? (await this.get(id));
  }

  /** Settles every pending proposal whose quorum now holds or fails (silence deadlines pass with time). */
  async tick(): Promise<void> {
    await this.refresh();
    for (const p of await this.o.store.listProposals("pending")) await this.settle(p.id);
  }

  /** Decides one proposal from its verified signatures, never from the recorded list alone. */
  private async settle(id: string): Promise<ProposalRecord | null> {
    const p = await this.o.store.getProposal(id);
    if (!p || p.status !== "pending") return p;
    if (p.parent_hash !== this.active.version) return this.close(p, "superseded", `the bundle in force changed to ${this.active.version.slice(0, 12)} before it was adopted; propose again on the new version`, "governance.supersede", "superseded");
    const approvals = new Set(p.note ? signedBy(p.note, this.o.keys.verifiers) : []);
    const state = decideQuorum(p.quorum, { members: p.members, approvals, objections: new Set(p.objections.map((o) => o.nation)), createdAt: p.created_at }, this.o.now());
    if (state.status === "pending") return p;
    if (state.status === "rejected") return this.close(p, "rejected", state.because, "governance.reject", "quorum_failed");
    // The red lines are checked again against the bundle in force at the moment of adoption.
    const bundle = await this.bundleByVersion(p.bundle_hash);
    if (!bundle) throw new InvalidRequest(`bundle ${p.bundle_hash} is missing from the governance store`);
    const weak = redLineWeakenings(this.active.bundle, bundle);
    if (weak.length) return this.close(p, "rejected", `red line: ${weak.join("; ")}`, "governance.reject", "red_line");
    const at = this.o.now();
    const adopted = await this.o.store.adopt({ version: p.bundle_hash, parent: p.parent_hash, proposal_id: p.id, adopted_at: at });
    if (!adopted) {
      await this.refresh();
      return this.settle(id);
    }
    const done = await this.close(p, "adopted", state.because, null, "quorum_reached");
    await this.refresh();
    await this.o.audit({ action: "governance.adopt", nation: null, subject: null, proposal_id: p.id, bundle_sha256: p.bundle_hash, reason: "quorum_reached", detail: state.because });
    return done;
  }

  private async close(p: ProposalRecord, status: ProposalStatus, because: string, action: GovernanceEvent["action"] | null, code: string): Promise<ProposalRecord | null> {
    const at = this.o.now();
    const next = await this.o.store.updateProposal(p.id, (cur) => (cur.status === "pending" ? { ...cur, status, status_reason: because, decided_at: at } : null));
    if (action && next?.status === status && next.decided_at === at) {
      await this.o.audit({ action, nation: null, subject: null, proposal_id: p.id, bundle_sha256: p.bundle_hash, reason: code, detail: because });
    }
    return next;
  }

  deadline(p: ProposalRecord): number | undefined {
    return deadlineOf(p.quorum, p.created_at);
  }
}

function act(p: Principal, comment: string, at: number): Act {
  return { nation: p.nation, subject: p.subject, comment: comment.slice(0, 2000), at };
}

function requireAdmin(p: Principal): void {
  if (!p.roles.includes("nation-admin")) throw new Forbidden(`governance acts need the role nation-admin of a member nation; your token carries ${p.roles.join(", ") || "none"}`);
}
