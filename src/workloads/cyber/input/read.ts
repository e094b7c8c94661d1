/**
 * Streams a log file (or stdin, `-`) as records: one per line, except that a JSON document spread over several
 * lines (pretty-printed, or several concatenated) is one record numbered by its first line. A document that breaks
 * off (a truncated JSON line, a text line opening a bracket) is cut at the first line that cannot continue it: the
 * broken part is one record (which then fails to decode and is counted) and reading resumes at the next line that
 * starts a document, so no later line is lost. Gzip input is recognised by its magic bytes and inflated on the fly;
 * gzip data cut short or corrupt yields what inflated before the damage, then reports it (`onDamage`). Text is
 * UTF-8, or UTF-16 when a byte-order mark opens it (`charset.ts`).
 * Memory stays constant: only the current batch and an unfinished document are held.
 */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InvalidRequest } from "../../../errors/index.ts";
import { LogTextDecoder } from "./charset.ts";

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
  /**
   * Called once when the input turns out damaged (a gzip cut short or corrupt), after every line read before the
   * damage has been yielded; the reading then ends normally. Without it the damage is thrown as DamagedInput.
   */
  onDamage?: (reason: string) => void;
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
  if (head[0] === 0x1f && head[1] === 0x8b) yield* gunzipped(all);
  else yield* all;
}

/** Compressed bytes handed to zlib at a time: bounds what inflates ahead of the reader (typically some MiB). */
const GZIP_PIECE = 64 * 1024;

/**
 * Inflates gzip data, paced by the consumer. zlib is fed one piece at a time and its output is taken from its
 * `data` events as it comes, not through the stream's async iterator: on an error (data cut short, a bad
 * checksum) zlib destroys the stream, and the iterator drops output still buffered, so the last lines before
 * the damage would be lost depending on timing.
 */
async function* gunzipped(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const zlib = createGunzip();
  let out: Buffer[] = [];
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const settled = (): Promise<void> => new Promise((resolve) => { wake = resolve; });
  zlib.on("data", (c: Buffer) => { out.push(c); poke(); });
  zlib.on("error", (err: Error) => { failure ??= err; poke(); });
  zlib.on("end", () => { ended = true; poke(); });
  const taken = (): Buffer[] => {
    const o = out;
    out = [];
    return o;
  };
  /** Yields output until `done()` holds or zlib fails. */
  async function* until(done: () => boolean): AsyncGenerator<Buffer> {
    for (;;) {
      if (out.length > 0) yield* taken();
      else if (done() || failure) return;
      else await settled();
    }
  }
  try {
    for await (const chunk of source) {
      for (let at = 0; at < chunk.length && !failure; at += GZIP_PIECE) {
        let consumed = false;
        zlib.write(chunk.subarray(at, at + GZIP_PIECE), () => { consumed = true; poke(); });
        yield* until(() => consumed);
      }
      if (failure) break;
    }
    if (!failure) {
      zlib.end();
      yield* until(() => ended);
    }
    yield* taken();
  } finally {
    zlib.destroy();
  }
  // zlib's own errors would surface as internal errors; a damaged file or upload is the sender's to fix.
  if (failure) throw new DamagedInput(gzipDamage(failure), { cause: failure });
}

/** A file that breaks off or is corrupt after some of it was read (so far only gzip data can tell). */
export class DamagedInput extends InvalidRequest {}

function gzipDamage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  // A file still being written, or copied in part: everything before the cut has been inflated and read.
  if (e.code === "Z_BUF_ERROR") return "gzip data is corrupt: it ends early (unexpected end of file)";
  return `gzip data is corrupt (${e.message ?? e.code ?? "inflate failed"})`;
}

const OPEN = -1;
const ENDED = -2;
// What the checker expects next.
const VALUE = 0, VALUE_OR_CLOSE = 1, KEY = 2, KEY_OR_CLOSE = 3, COLON = 4, AFTER_VALUE = 5, DONE = 6;
const SCALAR = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

/**
 * Checks, line by line, that a JSON document spread over lines is still a valid beginning of one, so a broken
 * record (a truncated line, a stray bracket in a text log) is noticed at the first line that cannot continue it
 * instead of swallowing the rest of the file. Lenient where that cannot split a valid document (string escapes
 * and control characters are left to JSON.parse); exact about structure, and a string cannot span lines.
 */
class JsonPrefix {
  private stack: number[] = [];
  private state = VALUE;

  /** OPEN: the document goes on; ENDED: it ended on this line; else the index where the line stopped fitting. */
  feed(line: string): number {
    const n = line.length;
    let i = 0;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        i++;
        continue;
      }
      switch (this.state) {
        case DONE:
          return i;
        case COLON:
          if (c !== 0x3a /* : */) return i;
          this.state = VALUE;
          i++;
          continue;
        case KEY:
        case KEY_OR_CLOSE:
          if (c === 0x22) {
            i = stringEnd(line, i);
            if (i < 0) return n;
            this.state = COLON;
          } else if (c === 0x7d && this.state === KEY_OR_CLOSE) {
            i++;
            this.close();
          } else return i;
          continue;
        case AFTER_VALUE: {
          const top = this.stack[this.stack.length - 1];
          if (c === 0x2c /* , */) this.state = top === 0x7b ? KEY : VALUE;
          else if ((c === 0x7d && top === 0x7b) || (c === 0x5d && top === 0x5b)) this.close();
          else return i;
          i++;
          continue;
        }
        default: // VALUE, VALUE_OR_CLOSE
          if (c === 0x7b || c === 0x5b) {
            this.stack.push(c);
            this.state = c === 0x7b ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
            i++;
          } else if (c === 0x5d && this.state === VALUE_OR_CLOSE) {
            i++;
            this.close();
          } else if (c === 0x22) {
            i = stringEnd(line, i);
            if (i < 0) return n;
            this.valueEnd();
          } else {
            let e = i;
            while (e < n && isScalarChar(line.charCodeAt(e))) e++;
            if (e === i || !SCALAR.test(line.slice(i, e))) return i;
            i = e;
            this.valueEnd();
          }
          continue;
      }
    }
    return this.state === DONE ? ENDED : OPEN;
  }

  private close(): void {
    this.stack.pop();
    this.valueEnd();
  }

  private valueEnd(): void {
    this.state = this.stack.length === 0 ? DONE : AFTER_VALUE;
  }
}

/** Index after the string opening at `from`, or -1 when the line ends inside it. */
function stringEnd(line: string, from: number): number {
  let q = from;
  for (;;) {
    q = line.indexOf('"', q + 1);
    if (q < 0) return -1;
    let bs = 0;
    while (line.charCodeAt(q - 1 - bs) === 0x5c) bs++;
    if ((bs & 1) === 0) return q + 1;
  }
}

const isScalarChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x2b || c === 0x2e;

/** A line that starts a JSON document at its first column: where a broken document is cut. */
const opensDocument = (line: string): boolean => line.charCodeAt(0) === 0x7b || line.charCodeAt(0) === 0x5b;

/** A line opening one Windows event in XML (`<Event xmlns=...>`, not the `<Events>` list around several). */
const opensEventXml = (t: string): boolean => t.startsWith("<Event") && (t.charCodeAt(6) === 0x20 || t.charCodeAt(6) === 0x3e);
/** Characters of one XML event spread over lines at most; beyond, it is cut and read as a broken record. */
const MAX_XML_EVENT = 4_000_000;

/** A broken document is searched for a later start only when it is this short (so resynchronising stays linear). */
const MAX_BACKTRACK_LINES = 1000;

export async function* readRecords(input: Readable, opts: ReadOptions = {}): AsyncGenerator<RawRecord[]> {
  const batchSize = opts.batch ?? 512;
  const decoder = new LogTextDecoder();
  let batch: RawRecord[] = [];
  let rest = "";
  let lineNo = 0;
  // A document spread over lines: its lines (the first trimmed) from line `start` on.
  let doc: { lines: string[]; start: number; json: JsonPrefix } | undefined;
  // An XML event spread over lines: its lines from line `start` on.
  let xml: { lines: string[]; start: number; chars: number } | undefined;
  // Lines to read again after a broken document was cut short (next one last).
  const again: Array<[string, number]> = [];

  const emit = (lines: string[], start: number): void => {
    batch.push({ text: lines.length === 1 ? lines[0]! : lines.join("\n"), line: start });
  };

  /**
   * The document cannot go on with line `no` (or the input ended, `no` undefined). It is cut before the first of
   * its later lines that starts a document at column 0 (a JSON line after a truncated one), else before line `no`
   * when that line broke it at once, else after it; the cut-off part is one (undecodable) record and the lines
   * after the cut are read again.
   */
  const cut = (d: NonNullable<typeof doc>, line?: string, no?: number, atOnce = false): void => {
    const lines = d.lines;
    let j = -1;
    if (lines.length <= MAX_BACKTRACK_LINES) {
      for (let i = 1; i < lines.length; i++) {
        if (opensDocument(lines[i]!)) {
          j = i;
          break;
        }
      }
    }
    if (line !== undefined && no !== undefined) {
      if (j < 0 && !atOnce && !opensDocument(line)) {
        lines.push(line);
        emit(lines, d.start);
        return;
      }
      again.push([line, no]);
    }
    if (j < 0) j = lines.length;
    emit(lines.slice(0, j), d.start);
    for (let i = lines.length - 1; i >= j; i--) again.push([lines[i]!, d.start + i]);
  };

  const step = (line: string, no: number): void => {
    if (xml) {
      // A Windows event written over several lines (wevtutil, ToXml(): multi-line script blocks): to its end tag.
      if (opensEventXml(line.trimStart()) || opensDocument(line) || xml.chars + line.length > MAX_XML_EVENT) {
        // A new event or JSON document before this one closed, or one too long: the open one is a (broken) record of its own.
        emit(xml.lines, xml.start);
        xml = undefined;
        step(line, no);
        return;
      }
      xml.lines.push(line);
      xml.chars += line.length;
      if (line.includes("</Event>")) {
        emit(xml.lines, xml.start);
        xml = undefined;
      }
      return;
    }
    if (doc) {
      const at = doc.json.feed(line);
      if (at === OPEN) doc.lines.push(line);
      else if (at === ENDED) {
        doc.lines.push(line);
        emit(doc.lines, doc.start);
        doc = undefined;
      } else {
        const d = doc;
        doc = undefined;
        cut(d, line, no, at === line.length - line.trimStart().length);
      }
      return;
    }
    const t = line.trim();
    if (t === "") return;
    if (opensEventXml(t) && !t.includes("</Event>") && !t.endsWith("/>")) {
      xml = { lines: [t], start: no, chars: t.length };
      return;
    }
    const open = t.charCodeAt(0);
    const close = t.charCodeAt(t.length - 1);
    // One-line documents (JSON lines) are the common case and skip the check.
    if ((open === 0x7b && close === 0x7d) || (open === 0x5b && close === 0x5d) || (open !== 0x7b && open !== 0x5b)) {
      batch.push({ text: t, line: no });
      return;
    }
    const json = new JsonPrefix();
    // A line that ends a document or is no beginning of one is a record of its own.
    if (json.feed(t) !== OPEN) batch.push({ text: t, line: no });
    else doc = { lines: [t], start: no, json };
  };

  const take = (raw: string): void => {
    step(raw.endsWith("\r") ? raw.slice(0, -1) : raw, ++lineNo);
    while (again.length > 0) {
      const [line, no] = again.pop()!;
      step(line, no);
    }
  };

  let damage: string | undefined;
  try {
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
  } catch (err) {
    if (!(err instanceof DamagedInput) || !opts.onDamage) throw err;
    // The lines inflated before the damage are still records (a cut last line fails to decode and is counted).
    damage = err.message;
  }
  rest += decoder.end();
  if (rest !== "") take(rest);
  // An XML event or a document still open at the end of the input.
  if (xml) {
    emit(xml.lines, xml.start);
    xml = undefined;
  }
  while (doc) {
    const d: NonNullable<typeof doc> = doc;
    doc = undefined;
    cut(d);
    while (again.length > 0) {
      const [line, no] = again.pop()!;
      step(line, no);
    }
  }
  if (batch.length > 0) yield batch;
  if (damage !== undefined) opts.onDamage!(damage);
}
