import { UpstreamError } from "../errors/index.ts";

/**
 * Incremental parser for `text/event-stream` (WHATWG HTML §9.2): events end at a blank line, `data:` lines join
 * with "\n", comments (`:`) are skipped. It bounds an event's size, because an upstream that never sends a blank
 * line would otherwise grow the buffer without end.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private dataBytes = 0;

  constructor(private readonly maxEventBytes = 1 << 20) {}

  /** Feeds a chunk; returns the data payloads of every event completed by it. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    let start = 0;
    for (;;) {
      const nl = this.buffer.indexOf("\n", start);
      if (nl < 0) break;
      let line = this.buffer.slice(start, nl);
      start = nl + 1;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        if (this.data.length > 0) out.push(this.data.join("\n"));
        this.data = [];
        this.dataBytes = 0;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") {
        // Counted as joined (newlines too): an upstream sending bare "data" lines forever would otherwise grow the
        // list of empty values without ever reaching the bound.
        this.dataBytes += value.length + (this.data.length > 0 ? 1 : 0);
        if (this.dataBytes > this.maxEventBytes) throw new UpstreamError(`upstream sent a stream event larger than ${this.maxEventBytes} bytes`);
        this.data.push(value);
      }
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length > this.maxEventBytes) throw new UpstreamError(`upstream sent a stream line longer than ${this.maxEventBytes} bytes`);
    return out;
  }

  /** True when bytes of an unfinished event remain (a stream cut mid-event). */
  get pending(): boolean {
    return this.buffer.length > 0 || this.data.length > 0;
  }
}
