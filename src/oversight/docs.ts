/** Annex IV documentation from a configuration and, when it exists, the governance record in its store. */
import type { Config } from "../config/index.ts";
import { annexIv } from "./annex-iv.ts";
import { bundleFromConfig, bundleHash, parseBundle } from "./bundle.ts";
import { loadGovernanceKeys } from "./governance-keys.ts";
import { signedBy } from "./proposal-note.ts";
import type { OversightStore } from "./records.ts";

export async function annexIvDocument(cfg: Config, store: OversightStore | null, guardAccuracy?: string): Promise<string> {
  const history = store ? await store.adoptions() : [];
  const head = history.at(-1);
  if (!store || !head) {
    const bundle = bundleFromConfig(cfg);
    return annexIv({ cfg, version: bundleHash(bundle), bundle, changes: [], ...(guardAccuracy ? { guardAccuracy } : {}) });
  }
  const json = await store.getBundle(head.version);
  const bundle = parseBundle(JSON.parse(json ?? "null"));
  const keys = loadGovernanceKeys(cfg, { create: false });
  const changes = [];
  for (const a of history) {
    if (!a.proposal_id) continue;
    const proposal = await store.getProposal(a.proposal_id);
    if (proposal) changes.push({ proposal, adoptedAt: a.adopted_at, signedBy: proposal.note ? signedBy(proposal.note, keys.verifiers) : [] });
  }
  return annexIv({ cfg, version: head.version, bundle, changes, ...(guardAccuracy ? { guardAccuracy } : {}) });
}
