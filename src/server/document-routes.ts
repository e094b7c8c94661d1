import type { FastifyInstance, FastifyRequest } from "fastify";
import multipart from "@fastify/multipart";
import { ConcordError, InvalidRequest, PayloadTooLarge } from "../errors/index.ts";
import { DEFAULT_LIMITS, ingestDocument, searchDocuments, summarizeDocuments, UploadBody, uploadToIngestInput, type IngestInput } from "../workloads/documents/index.ts";
import { sha256Hex, type RequestContext } from "./context.ts";
import type { Gateway } from "./gateway.ts";
import { checkProhibitedUse, classifyInput } from "./guard.ts";
import { askSecondOpinion } from "./second-opinion.ts";
import { handle } from "./pipeline.ts";
import { workloadComplete } from "./route.ts";
import { authenticate, authorize, meter, parse } from "./stages.ts";

type Query = Record<string, string | string[] | undefined>;
const list = (v: string | string[] | undefined) => (v === undefined ? undefined : (Array.isArray(v) ? v : v.split(",")).map((x) => x.trim()).filter(Boolean));
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A multipart upload: one `file` part plus optional `releasable_to`, `tags`, `date` fields. */
async function multipartUpload(req: FastifyRequest, ctx: RequestContext, nation: string, limit: number): Promise<IngestInput> {
  let file: { filename: string; bytes: Buffer } | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts({ limits: { fileSize: limit, files: 1, fields: 10, fieldSize: 64 * 1024 } })) {
      if (part.type === "file") {
        if (part.fieldname !== "file") throw new InvalidRequest(`unexpected file field "${part.fieldname}"; send the document as "file"`);
        file = { filename: part.filename, bytes: await part.toBuffer() };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") throw new PayloadTooLarge(`the document exceeds ${limit} bytes`);
    if (err instanceof ConcordError) throw err;
    // Busboy's parse errors (no boundary, truncated or malformed parts) are the sender's, not ours.
    throw new InvalidRequest(`malformed multipart body (${(err as { code?: string }).code ?? (err as Error).message ?? "unreadable"})`, { cause: err });
  }
  if (!file) throw new InvalidRequest('multipart upload needs a "file" part');
  const unknown = Object.keys(fields).filter((k) => !["releasable_to", "tags", "date"].includes(k));
  if (unknown.length) throw new InvalidRequest(`unknown field(s) ${unknown.join(", ")}`);
  ctx.requestHash = sha256Hex(file.bytes);
  const releasable = fields.releasable_to?.trim();
  return {
    filename: file.filename,
    bytes: file.bytes,
    nation,
    releasableTo: !releasable || releasable === "all" ? "all" : releasable.split(",").map((x) => x.trim()),
    ...(fields.tags ? { tags: fields.tags.split(",").map((x) => x.trim()).filter(Boolean) } : {}),
    ...(fields.date ? { date: fields.date } : {}),
  };
}

export function registerDocumentRoutes(app: FastifyInstance, gw: Gateway): void {
  const limit = gw.cfg.workloads.upload_limit;
  // Multipart parsing is registered in its own scope so only the upload route accepts it.
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: limit } });
    // JSON uploads carry the file base64-encoded: allow for that overhead on this route only.
    scope.post("/v1/workloads/documents", { bodyLimit: Math.ceil(limit * 1.4) + 65_536 }, (req, reply) =>
      handle(gw, req, reply, "documents.ingest", async (ctx) => {
        await authenticate(ctx, gw);
        authorize(ctx, gw);
        await meter(ctx, gw);
        const nation = ctx.principal!.nation;
        const input = req.isMultipart() ? await multipartUpload(req, ctx, nation, limit) : uploadToIngestInput(parse(ctx, UploadBody), nation);
        const result = await ingestDocument(gw.documents, input, {
          guard: (text) => classifyInput(ctx, gw, text, `document "${input.filename}"`),
          members: Object.keys(gw.cfg.nations),
          limits: { ...DEFAULT_LIMITS, maxBytes: limit },
        });
        ctx.auditExtra = { ...ctx.auditExtra, document_id: result.document_id, bytes: input.bytes.length };
        return { kind: "json", status: result.duplicate ? 200 : 201, body: { object: "document", ...result } };
      }),
    );
  });

  app.get("/v1/workloads/documents/search", (req, reply) =>
    handle(gw, req, reply, "documents.search", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw);
      await meter(ctx, gw);
      const q = req.query as Query;
      const known = ["q", "owners", "languages", "tags", "from", "to", "limit", "offset"];
      const unknown = Object.keys(q).filter((k) => !known.includes(k));
      if (unknown.length) throw new InvalidRequest(`unknown query parameter(s) ${unknown.join(", ")}`);
      const num = (v: string | undefined, name: string) => {
        if (v === undefined) return undefined;
        if (!/^\d{1,6}$/.test(v)) throw new InvalidRequest(`${name} must be a non-negative integer`, { param: name });
        return Number(v);
      };
      checkProhibitedUse(ctx, one(q.q) ?? "");
      await askSecondOpinion(ctx, gw, one(q.q) ?? "");
      const limitN = num(one(q.limit), "limit");
      const offsetN = num(one(q.offset), "offset");
      const result = await searchDocuments(gw.documents, {
        q: one(q.q) ?? "",
        nation: ctx.principal!.nation,
        ...(list(q.owners) ? { owners: list(q.owners) } : {}),
        ...(list(q.languages) ? { languages: list(q.languages) } : {}),
        ...(list(q.tags) ? { tags: list(q.tags) } : {}),
        ...(one(q.from) ? { from: one(q.from) } : {}),
        ...(one(q.to) ? { to: one(q.to) } : {}),
        ...(limitN === undefined ? {} : { limit: limitN }),
        ...(offsetN === undefined ? {} : { offset: offsetN }),
      });
      return { kind: "json", status: 200, body: result };
    }),
  );

  app.post("/v1/workloads/summarize", (req, reply) =>
    handle(gw, req, reply, "documents.summarize", async (ctx) => {
      await authenticate(ctx, gw);
      authorize(ctx, gw);
      await meter(ctx, gw);
      if (ctx.body === null || typeof ctx.body !== "object" || Array.isArray(ctx.body)) throw new InvalidRequest("request body must be a JSON object");
      if ("nation" in (ctx.body as object)) throw new InvalidRequest("unknown field nation: the nation is the caller's own");
      const summary = await summarizeDocuments(gw.documents, { ...(ctx.body as Record<string, unknown>), nation: ctx.principal!.nation } as never, { complete: workloadComplete(ctx, gw) });
      return { kind: "json", status: 200, body: summary };
    }),
  );
}
