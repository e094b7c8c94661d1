/**
 * Scans a stream of chunks (a model's output as it arrives) with bounded memory. The undecided tail (the
 * current line, up to MAX_TAIL characters) is held back until its line ends, so a marking split across chunks
 * ("NATO SEC" + "RET") or a banner whose line is not yet complete is judged on the whole line; a little
 * context before it is kept for labels. Each finding is reported once, with its offset in the whole stream.
 */
import { scanWindow, type Finding } from "./scan.ts";

const MAX_TAIL = 512;
const CONTEXT = 256;

export interface MarkingStream {
  /** Findings decided by this chunk (possibly in earlier text held back until now). */
  push(chunk: string): Finding[];
  /** Findings in the held-back tail; call once at the end of the stream. */
  end(): Finding[];
  /** How many characters of the stream are decided: no later chunk can change what was found in them. */
  readonly decided: number;
}

export function createWindowedStream(ceiling: number): MarkingStream {
  let window = "";
  let windowOffset = 0; // stream offset of window[0]
  let windowLine = 1; // line of window[0]
  let windowColumn = 1; // column of window[0]
  let decided = 0; // stream offset up to which the text is judged
  let openStart = false;
  // Spans already reported; a marking can span the decided boundary ("NATO\n" + "SECRET"), so a finding is new
  // when it overlaps none of them, whichever side of the boundary it starts.
  let reported: { start: number; end: number }[] = [];

  const scan = (upTo: number): Finding[] => {
    const found = scanWindow(window, { ceiling, openStart });
    const out: Finding[] = [];
    for (const f of found) {
      const offset = windowOffset + f.location.offset;
      const end = offset + f.location.length;
      if (offset >= upTo || reported.some((r) => offset < r.end && end > r.start)) continue;
      reported.push({ start: offset, end });
      const line = windowLine + f.location.line - 1;
      const column = f.location.line === 1 ? windowColumn + f.location.column - 1 : f.location.column;
      out.push({ ...f, location: { line, column, offset, length: f.location.length } });
    }
    return out;
  };

  const advance = (to: number): void => {
    // Drop text before (to - CONTEXT), keeping line and column of the new window start.
    const cut = Math.max(0, to - CONTEXT - windowOffset);
    if (cut === 0) return;
    const dropped = window.slice(0, cut);
    const breaks = dropped.split("\n").length - 1;
    if (breaks > 0) {
      windowLine += breaks;
      windowColumn = dropped.length - dropped.lastIndexOf("\n");
    } else {
      windowColumn += dropped.length;
    }
    openStart = dropped.at(-1) !== "\n";
    window = window.slice(cut);
    windowOffset += cut;
    reported = reported.filter((r) => r.end > windowOffset);
  };

  return {
    get decided() {
      return decided;
    },
    push(chunk: string): Finding[] {
      window += chunk;
      const lastBreak = Math.max(window.lastIndexOf("\n"), window.lastIndexOf("\\n"));
      let upTo = windowOffset + (lastBreak === -1 ? 0 : lastBreak);
      upTo = Math.max(upTo, windowOffset + window.length - MAX_TAIL);
      if (upTo <= decided) return [];
      const out = scan(upTo);
      decided = upTo;
      advance(upTo);
      return out;
    },
    end(): Finding[] {
      const out = scan(Number.POSITIVE_INFINITY);
      decided = windowOffset + window.length;
      window = "";
      windowOffset = decided;
      return out;
    },
  };
}
