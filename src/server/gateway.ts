import type { JWK } from "jose";
import { allowedJurisdictions, type LoadedConfig } from "../config/index.ts";
import { ApiKeys, createAuthenticator, JwtVerifier, loadOrCreateDemoKey, openApiKeyStore, type Authenticator, type DemoKey } from "../identity/index.ts";
import { EndpointRegistry } from "../routing/index.ts";
import { MemoryQuotaStore, RedisQuotaStore, type QuotaStore } from "../quota/index.ts";
import { UpstreamBackend, createLlamaBackend, type ModelBackend } from "../backends/index.ts";
import { AuditLog, auditLogOptions } from "../audit/index.ts";
import { openDocumentStore, type DocumentStore } from "../workloads/documents/index.ts";
import { createAuthorizer, type Authorizer } from "../policy/index.ts";
import { Metrics } from "./metrics.ts";
import { createOversight, type Oversight } from "../oversight/index.ts";
import type { Logger } from "./log.ts";

/** Every long-lived service one gateway process uses, built once from the configuration. */
export interface Gateway {
  readonly cfg: LoadedConfig;
  readonly authenticator: Authenticator;
  readonly apiKeys: ApiKeys;
  readonly demoKeys: ReadonlyMap<string, DemoKey>;
  readonly registry: EndpointRegistry;
  readonly backends: ReadonlyMap<string, ModelBackend>;
  readonly quota: QuotaStore;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly audit: AuditLog;
  /** The Cedar authorizer of the policy bundle in force. */
  authorizer(): Authorizer;
  /** The classification ceiling of the policy bundle in force (it can only be lowered by consent). */
  ceiling(): string;
  /** Ingested documents, releasability enforced in its queries. */
  readonly documents: DocumentStore;
  /** Review queue, consent governance and provenance keys (oversight/). */
  readonly oversight: Oversight;
  /** SHA-256 of the policy bundle in force, cited by every audit entry; changes at once when a proposal is adopted. */
  policyVersion(): string;
  /** Concrete jurisdictions each nation allows, expanded once. */
  allowed(nation: string): ReadonlySet<string>;
  close(): Promise<void>;
}

export async function createGateway(cfg: LoadedConfig, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<Gateway> {
  const metrics = new Metrics();
  const demoKeys = new Map<string, DemoKey>();
  for (const [nation, n] of Object.entries(cfg.nations)) {
    if (n.identity === "demo") demoKeys.set(nation, await loadOrCreateDemoKey(cfg.data_dir, nation));
  }
  const jwt = await JwtVerifier.create(cfg, new Map<string, JWK>([...demoKeys].map(([k, v]) => [k, v.publicJwk])));
  const apiKeys = new ApiKeys(openApiKeyStore(cfg.store.url), new Set(Object.keys(cfg.nations)));

  const allowedByNation = new Map<string, ReadonlySet<string>>();
  for (const [nation, n] of Object.entries(cfg.nations)) allowedByNation.set(nation, allowedJurisdictions(cfg, n.residency));

  const registry = new EndpointRegistry(cfg.endpoints, cfg.server.breaker);
  const backends = new Map<string, ModelBackend>();
  for (const ep of cfg.endpoints) backends.set(ep.id, "engine" in ep ? createLlamaBackend(ep) : new UpstreamBackend(ep, env));

  const redisUrl = cfg.quota.redis ?? (cfg.quota.redis_env ? env[cfg.quota.redis_env] : undefined);
  const quota: QuotaStore = redisUrl
    ? new RedisQuotaStore({
        url: redisUrl,
        prefix: cfg.quota.prefix,
        replicas: cfg.quota.replicas,
        onFallback: (active, reason) => {
          metrics.quotaFallback.set(active ? 1 : 0);
          if (active) log.warn({ event: "quota_fallback", reason }, "shared quotas unreachable; counting in this process");
          else log.info({ event: "quota_recovered" }, "shared quotas reachable again");
        },
      })
    : new MemoryQuotaStore();

  const documents = await openDocumentStore(cfg.store.url);
  // Appends commit on a worker thread: the event loop keeps serving while a commit waits for its fsync.
  const audit = await AuditLog.open({ ...auditLogOptions(cfg), writerThread: true });
  const oversight = await createOversight(cfg, {
    appendAudit: (entry) => audit.append(entry),
    onError: (err) => log.warn({ event: "oversight_tick_failed", err: (err as Error).message }, "expiring reviews or settling proposals failed; retrying on the next tick"),
  });

  // Residency is part of the policy bundle: after an adoption the bundle's table decides, expanded once per version.
  let residency = { version: "", byNation: new Map<string, ReadonlySet<string>>() };
  const residencyInForce = (nation: string): ReadonlySet<string> | undefined => {
    if (residency.version !== oversight.policyVersion()) {
      const b = oversight.bundle();
      residency = { version: oversight.policyVersion(), byNation: new Map(Object.entries(b.residency).map(([k, r]) => [k, allowedJurisdictions(b, r.residency)])) };
    }
    return residency.byNation.get(nation);
  };

  // The ceiling and the Cedar policies also come from the bundle in force: rebuilt once per adopted version.
  let enforced = { version: "", ceiling: cfg.network.ceiling, authorizer: undefined as Authorizer | undefined };
  const inForce = () => {
    if (enforced.version !== oversight.policyVersion()) {
      const b = oversight.bundle();
      const nations = Object.fromEntries(b.cedar.filter((c) => /^[A-Z]{3}$/.test(c.id)).map((c) => [c.id, c.text]));
      const base = b.cedar.find((c) => c.id === "base")?.text;
      enforced = {
        version: oversight.policyVersion(),
        ceiling: b.ceiling,
        authorizer: createAuthorizer({ ceiling: b.ceiling, policies: { ...(base === undefined ? {} : { base }), nations } }),
      };
    }
    return enforced as { version: string; ceiling: string; authorizer: Authorizer };
  };

  return {
    cfg, audit, oversight, documents,
    authorizer: () => inForce().authorizer,
    ceiling: () => inForce().ceiling, policyVersion: () => oversight.policyVersion(), authenticator: createAuthenticator(jwt, apiKeys), apiKeys, demoKeys, registry, backends, quota, metrics, log,
    allowed: (nation) => residencyInForce(nation) ?? allowedByNation.get(nation) ?? new Set<string>(),
    async close() {
      await Promise.allSettled([...backends.values()].map((b) => b.close()));
      await quota.close();
      // Before the audit log: the oversight timer appends governance entries.
      await oversight.close();
      await documents.close();
      await audit.close();
      await apiKeys.close();
    },
  };
}
