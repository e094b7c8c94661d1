import { join } from "node:path";
import type { AuditLogOptions } from "./log.ts";

/** The parts of Concord's configuration the audit log reads (structural, so audit/ needs nothing from config/). */
export interface AuditConfigView {
  readonly data_dir: string;
  readonly network: { readonly name: string };
  readonly audit: { readonly store: string; readonly checkpoint_every: number; readonly checkpoint_interval: number; readonly origin?: string | undefined; readonly timeout?: number };
}

/** Default origin: `concord/<network name as a slug>`, stable for as long as the network keeps its name. */
export function defaultOrigin(networkName: string): string {
  const slug = networkName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return `concord/${slug || "network"}`;
}

/** AuditLog.open options from the configuration: the key lives in `<data_dir>/keys/audit/`, never in the store. */
export function auditLogOptions(cfg: AuditConfigView): AuditLogOptions {
  return {
    store: cfg.audit.store,
    keyDir: join(cfg.data_dir, "keys", "audit"),
    origin: cfg.audit.origin ?? defaultOrigin(cfg.network.name),
    checkpointEvery: cfg.audit.checkpoint_every,
    checkpointIntervalMs: cfg.audit.checkpoint_interval,
    ...(cfg.audit.timeout === undefined ? {} : { storeTimeoutMs: cfg.audit.timeout }),
  };
}
