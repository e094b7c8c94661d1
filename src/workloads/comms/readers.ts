/**
 * Streaming readers for a corpus of messages: JSON lines, CSV (id,text,time,channel,author), one .eml mail, or
 * an mbox. Each yields messages or malformed-record reports (with the 1-based line they start on) one at a
 * time, holding at most one record in memory, so a corpus of any length runs in constant memory.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { Transform, type Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse";
import PostalMime from "postal-mime";
import { z } from "zod";
import { InvalidRequest } from "../../errors/index.ts";

export const InputMessage = z.object({
  id: z.union([z.string().min(1).max(500), z.number()]).transform(String).optional(),
  text: z.string().max(1_000_000),
  time: z.union([z.string(), z.number()]).optional(),
  channel: z.string().max(500).optional(),
  author: z.string().max(500).optional(),
});

export interface Message { id: string; text: string; time?: string; channel?: string; author?: string }

export type CorpusRecord =
  | { kind: "message"; line: number; message: Message }
  | { kind: "malformed"; line: number; reason: string };

export type CorpusFormat = "jsonl" | "csv" | "eml" | "mbox";

/** Largest single record (a mail with attachments, one JSON line) read before it is reported as malformed. */
const MAX_RECORD_BYTES = 10 * 1024 * 1024;

export function formatFromName(name: string): CorpusFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) return "jsonl";
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".eml")) return "eml";
  if (lower.endsWith(".mbox") || lower.endsWith(".mbx")) return "mbox";
  throw new InvalidRequest(`cannot tell the format of "${name.slice(-80)}": name it .jsonl, .csv, .eml or .mbox, or pass --format`, { param: "format" });
}

function normaliseTime(time: string | number | undefined): string | undefined {
  if (time === undefined || time === "") return undefined;
  const d = typeof time === "number" ? new Date(time < 1e12 ? time * 1000 : time) : new Date(time);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Validates one decoded record into a Message, or explains why it is malformed. */
export function toMessage(value: unknown, line: number): CorpusRecord {
  const r = InputMessage.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { kind: "malformed", line, reason: `${issue?.path.join(".") || "record"}: ${issue?.message ?? "invalid"}` };
  }
  const { id, text, time, channel, author } = r.data;
  if (time !== undefined && time !== "" && normaliseTime(time) === undefined) return { kind: "malformed", line, reason: "time: not a date" };
  const message: Message = { id: id ?? `line-${line}`, text };
  const iso = normaliseTime(time);
  if (iso) message.time = iso;
  if (channel) message.channel = channel;
  if (author) message.author = author;
  return { kind: "message", line, message };
}

async function* readJsonLines(input: Readable): AsyncGenerator<CorpusRecord> {
  let line = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (raw.trim() === "") continue;
    if (raw.length > MAX_RECORD_BYTES) { yield { kind: "malformed", line, reason: "line too long" }; continue; }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      yield { kind: "malformed", line, reason: "not valid JSON" };
      continue;
    }
    yield toMessage(value, line);
  }
}

async function* readCsv(input: Readable): AsyncGenerator<CorpusRecord> {
  const skipped: CorpusRecord[] = [];
  const parser = input.pipe(
    parseCsv({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      info: true,
      bom: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_BYTES,
      on_skip: (err) => {
        // csv-parse puts the record's line number on the error as `lines`.
        const line = typeof err?.lines === "number" ? err.lines : 0;
        skipped.push({ kind: "malformed", line, reason: (err?.message ?? "malformed CSV record").replace(/:.*$/su, "") });
        return undefined;
      },
    }),
  );
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    // The parser runs ahead of us: report only the skipped records that came before this one, in line order.
    while (skipped.length > 0 && (skipped[0] as CorpusRecord).line < item.info.lines) yield skipped.shift() as CorpusRecord;
    const rec = Object.fromEntries(Object.entries(item.record).filter(([, v]) => v !== ""));
    yield toMessage(rec, item.info.lines);
  }
  while (skipped.length > 0) yield skipped.shift() as CorpusRecord;
}

function stripHtml(html: string): string {
  return html.replace(/<(script|style)[^>]*>.*?<\/\1>/gisu, " ").replace(/<[^>]+>/gu, " ").replace(/&nbsp;/gu, " ").replace(/\s+/gu, " ").trim();
}

async function mailToRecord(raw: string, line: number): Promise<CorpusRecord> {
  try {
    const mail = await PostalMime.parse(raw);
    const text = (mail.text ?? (mail.html ? stripHtml(mail.html) : "")).trim();
    const body = mail.subject ? `${mail.subject}\n${text}` : text;
    const listId = mail.headers.find((h) => h.key === "list-id")?.value;
    return toMessage({
      id: mail.messageId?.replace(/^<|>$/gu, "") || undefined,
      text: body,
      time: mail.date || undefined,
      channel: listId ?? (mail.to?.[0] && "address" in mail.to[0] ? mail.to[0].address : undefined) ?? "mail",
      author: mail.from && "address" in mail.from ? mail.from.address : undefined,
    }, line);
  } catch {
    return { kind: "malformed", line, reason: "not a parsable mail message" };
  }
}

async function* readMbox(input: Readable): AsyncGenerator<CorpusRecord> {
  let line = 0, start = 0, size = 0;
  let current: string[] | undefined;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (raw.startsWith("From ")) {
      if (current) yield size > MAX_RECORD_BYTES ? { kind: "malformed", line: start, reason: "message too large" } : await mailToRecord(current.join("\n"), start);
      current = [];
      start = line;
      size = 0;
      continue;
    }
    if (!current) {
      if (raw.trim() !== "") { yield { kind: "malformed", line, reason: "text before the first \"From \" line" }; current = undefined; }
      continue;
    }
    size += raw.length + 1;
    // mboxrd quoting: ">From " in a body was "From ".
    if (size <= MAX_RECORD_BYTES) current.push(/^>+From /u.test(raw) ? raw.slice(1) : raw);
  }
  if (current) yield size > MAX_RECORD_BYTES ? { kind: "malformed", line: start, reason: "message too large" } : await mailToRecord(current.join("\n"), start);
}

async function* readEml(input: Readable): AsyncGenerator<CorpusRecord> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_RECORD_BYTES) { yield { kind: "malformed", line: 1, reason: "message too large" }; return; }
    chunks.push(bytes);
  }
  yield await mailToRecord(Buffer.concat(chunks).toString("utf8"), 1);
}

/** Reads records from a stream in the given format. */
export function readCorpus(input: Readable, format: CorpusFormat): AsyncGenerator<CorpusRecord> {
  switch (format) {
    case "jsonl": return readJsonLines(input);
    case "csv": return readCsv(input);
    case "mbox": return readMbox(input);
    case "eml": return readEml(input);
  }
}

/** Reads a corpus file; `onBytes` reports progress as bytes read. */
export function readCorpusFile(path: string, opts: { format?: CorpusFormat; onBytes?: (bytes: number) => void } = {}): AsyncGenerator<CorpusRecord> {
  const format = opts.format ?? formatFromName(path);
  const stream = createReadStream(path);
  const onBytes = opts.onBytes;
  if (!onBytes) return readCorpus(stream, format);
  // Counted on the way through; a "data" listener on the file stream would start it flowing before the reader.
  let read = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      onBytes(read);
      done(null, chunk);
    },
  });
  stream.on("error", (err) => counted.destroy(err));
  return readCorpus(stream.pipe(counted), format);
}
