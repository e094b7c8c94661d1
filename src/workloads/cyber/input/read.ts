/**
 * Streams a log file (or stdin, `-`) as records: one per line, except that a JSON document spread over several
 * lines (pretty-printed, or several concatenated) is one record numbered by its first line. Gzip input is
 * recognised by its magic bytes and inflated on the fly. Memory stays constant: only the current batch and an
 * unfinished document are held.
 */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { StringDecoder } from "node:string_decoder";
import { InvalidRequest } from "../../../errors/index.ts";

export interface RawRecord {
  text: string;
  /** 1-based line number of the record's first line. */
  line: number;
}

export interface ReadOptions {
  /** Records per yielded batch. */
  batch?: number;
  /** Called with the count of input bytes (as stored, so compressed for gzip) consumed so far. */
  onBytes?: (bytes: number) => void;
}

export function openInput(path: string): Readable {
  return path === "-" ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
}

async function* inflated(input: Readable, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  let seen = 0;
  const counted = (async function* () {
    for await (const chunk of input) {
      seen += (chunk as Buffer).length;
      onBytes?.(seen);
      yield chunk as Buffer;
    }
  })();
  const first = await counted.next();
  if (first.done) return;
  const head = first.value;
  const all = (async function* () {
    yield head;
    yield* counted;
  })();
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = Readable.from(all).pipe(createGunzip());
    try {
      yield* gunzip;
    } catch (err) {
      // zlib's own errors would surface as internal errors; a damaged upload is the sender's to fix.
      throw new InvalidRequest(`the gzip data is corrupt (${(err as { code?: string }).code ?? "inflate failed"})`, { cause: err });
    }
  } else yield* all;
}

/** Tracks brace depth through a JSON document spread over lines, minding strings and escapes. */
class JsonDepth {
  depth = 0;
  private inString = false;
  private escaped = false;
  feed(line: string): void {
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
      } else if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) this.depth--;
    }
  }
}

export async function* readRecords(input: Readable, opts: ReadOptions = {}): AsyncGenerator<RawRecord[]> {
  const batchSize = opts.batch ?? 512;
  const decoder = new StringDecoder("utf8");
  let batch: RawRecord[] = [];
  let rest = "";
  let lineNo = 0;
  let doc: { lines: string[]; start: number; depth: JsonDepth } | undefined;

  const take = (raw: string): void => {
    lineNo++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (doc) {
      doc.lines.push(line);
      doc.depth.feed(line);
      if (doc.depth.depth <= 0) {
        batch.push({ text: doc.lines.join("\n"), line: doc.start });
        doc = undefined;
      }
      return;
    }
    const t = line.trim();
    if (t === "") return;
    const open = t.charCodeAt(0);
    const close = t.charCodeAt(t.length - 1);
    // One-line documents (JSON lines) are the common case and skip the depth scan.
    if ((open === 0x7b && close === 0x7d) || (open === 0x5b && close === 0x5d) || (open !== 0x7b && open !== 0x5b)) {
      batch.push({ text: t, line: lineNo });
      return;
    }
    const depth = new JsonDepth();
    depth.feed(t);
    if (depth.depth <= 0) batch.push({ text: t, line: lineNo });
    else doc = { lines: [t], start: lineNo, depth };
  };

  for await (const chunk of inflated(input, opts.onBytes)) {
    const text = rest + decoder.write(chunk);
    let from = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      take(text.slice(from, nl));
      from = nl + 1;
    }
    rest = text.slice(from);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  rest += decoder.end();
  if (rest !== "") take(rest);
  if (doc) batch.push({ text: doc.lines.join("\n"), line: doc.start });
  if (batch.length > 0) yield batch;
}
