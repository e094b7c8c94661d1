import { StreamBroken } from "./reply.ts";

/** The fields of WHATWG's event stream format; OpenAI-compatible servers send only `data` (and `event: error`). */
const FIELDS = new Set(["data", "event", "id", "retry"]);

/**
 * Incremental parser for `text/event-stream` (WHATWG HTML §9.2): events end at a blank line, `data:` lines join
 * with "\n", comments (`:`) are skipped. Stricter than a browser in two ways, because a gateway must not guess:
 * a line with a field the format does not have (raw JSON lines, an HTTP body that is not an event stream) is
 * malformed framing, and an `event: error` is the upstream reporting a failure. It bounds an event's size,
 * because an upstream that never sends a blank line would otherwise grow the buffer without end.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private dataBytes = 0;
  private event = "";
  /** The unfinished line in `buffer` holds no newline: the next search starts after it, not at its beginning. */
  private searched = 0;

  constructor(private readonly maxEventBytes = 1 << 20) {}

  /** Feeds a chunk; returns the data payloads of every event completed by it. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    let start = 0;
    for (;;) {
      const nl = this.buffer.indexOf("\n", Math.max(start, this.searched));
      if (nl < 0) break;
      let line = this.buffer.slice(start, nl);
      start = nl + 1;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        if (this.event === "error") throw new StreamBroken("upstream_error_event", "upstream reported an error in its stream");
        if (this.data.length > 0) out.push(this.data.join("\n"));
        this.data = [];
        this.dataBytes = 0;
        this.event = "";
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      if (!FIELDS.has(field)) throw new StreamBroken("malformed_stream", "upstream sent a line that is not server-sent-event framing");
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") this.event = value;
      if (field === "data") {
        // Counted as joined (newlines too): an upstream sending bare "data" lines forever would otherwise grow the
        // list of empty values without ever reaching the bound.
        this.dataBytes += value.length + (this.data.length > 0 ? 1 : 0);
        if (this.dataBytes > this.maxEventBytes) throw new StreamBroken("oversized", `upstream sent a stream event larger than ${this.maxEventBytes} bytes`);
        this.data.push(value);
      }
    }
    this.buffer = this.buffer.slice(start);
    this.searched = this.buffer.length;
    if (this.buffer.length > this.maxEventBytes) throw new StreamBroken("oversized", `upstream sent a stream line longer than ${this.maxEventBytes} bytes`);
    return out;
  }

  /** True when bytes of an unfinished event remain (a stream cut mid-event). */
  get pending(): boolean {
    return this.buffer.length > 0 || this.data.length > 0;
  }
}
