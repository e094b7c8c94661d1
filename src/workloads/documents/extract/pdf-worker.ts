/**
 * A PDF worker thread: reads one PDF per message with pdf.js and answers with its text (or a refusal). pdf.js is
 * fed untrusted bytes, so it runs here, where a stuck parse can be terminated, memory is capped by the thread's
 * resource limits, and a promise pdf.js leaves rejected ends this thread rather than the gateway.
 */
import { parentPort } from "node:worker_threads";
import { ConcordError } from "../../../errors/index.ts";
import type { PdfReply, PdfRequest } from "./pdf-protocol.ts";
import { readPdf } from "./pdf.ts";

const port = parentPort;
if (port === null) throw new Error("pdf-worker.ts runs only as a worker thread");

port.on("message", (req: PdfRequest) => {
  readPdf(req.bytes, { maxPages: req.maxPages }).then(
    (doc) => port.postMessage({ type: "result", doc } satisfies PdfReply),
    (err: unknown) => {
      // Only Concord's own refusals cross with their words; anything else pdf.js threw is a damaged file.
      const known = err instanceof ConcordError && (err.code === "invalid_request" || err.code === "payload_too_large");
      const reply: PdfReply = known
        ? { type: "refused", code: err.code as "invalid_request" | "payload_too_large", message: err.message }
        : { type: "refused", code: "invalid_request", message: "the file is not a readable PDF (its structure is damaged or truncated)" };
      port.postMessage(reply);
    },
  );
});
