import type { FastifyInstance } from "fastify";
import { getCheckpoint, getConsistencyProof, getEntries, getInclusionProof, getPublicKey, postCosignature, searchEntries } from "../audit/index.ts";
import { hasRole } from "../identity/index.ts";
import type { Gateway } from "./gateway.ts";
import { handle } from "./pipeline.ts";
import { authenticate, authorize } from "./stages.ts";

type Query = Record<string, string | string[] | undefined>;

/**
 * The audit log over HTTP. Checkpoints and proofs are hashes, so every authenticated principal may read them; a
 * nation's auditor reads its own nation's entries in full (others as leaf hashes), the alliance auditor all.
 * Reading the log is itself a decision, and audited.
 */
export function registerAuditRoutes(app: FastifyInstance, gw: Gateway): void {
  app.get("/.well-known/concord/audit-key", async () => getPublicKey(gw.audit));

  app.get("/admin/audit/checkpoint", (req, reply) =>
    handle(gw, req, reply, "admin.audit.checkpoint", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw);
      return { kind: "json", status: 200, body: await getCheckpoint(gw.audit) };
    }),
  );

  app.get("/admin/audit/proof/inclusion", (req, reply) =>
    handle(gw, req, reply, "admin.audit.proof", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw);
      return { kind: "json", status: 200, body: await getInclusionProof(gw.audit, req.query as Query) };
    }),
  );

  app.get("/admin/audit/proof/consistency", (req, reply) =>
    handle(gw, req, reply, "admin.audit.proof", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw);
      return { kind: "json", status: 200, body: await getConsistencyProof(gw.audit, req.query as Query) };
    }),
  );

  app.get("/admin/audit/entries", (req, reply) =>
    handle(gw, req, reply, "admin.audit.entries", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw);
      const p = ctx.principal!;
      const scope = hasRole(p, "alliance-auditor", "alliance-admin") ? "all" : { nation: p.nation };
      return { kind: "json", status: 200, body: await getEntries(gw.audit, req.query as Query, scope) };
    }),
  );

  // The same principals as /admin/audit/entries, narrower still: a nation's auditor searches its own entries only.
  app.get("/admin/audit/search", (req, reply) =>
    handle(gw, req, reply, "admin.audit.search", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw);
      const p = ctx.principal!;
      const scope = hasRole(p, "alliance-auditor", "alliance-admin") ? "all" : { nation: p.nation };
      return { kind: "json", status: 200, body: await searchEntries(gw.audit, req.query as Query, scope) };
    }),
  );

  app.post("/admin/audit/checkpoint/cosignature", (req, reply) =>
    handle(gw, req, reply, "admin.audit.cosign", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw);
      return { kind: "json", status: 200, body: await postCosignature(gw.audit, ctx.body, gw.cfg.audit.witnesses) };
    }),
  );
}
